"""The layers of modules/ (README, "Layout"; CONTRIBUTING.md): each package imports only the
packages below it, or its own, so that a reader can go bottom up. Imports inside functions count
too (a function-local import hides a loop, it does not remove it)."""

from __future__ import annotations

import ast
from pathlib import Path

from modules.stack.environment import PROJECT_ROOT

#: The packages of modules/, bottom up; a package may import those of its layer and below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kernel", "console"),
    ("facts",),
    ("network",),
    ("vpc_endpoints", "security_groups", "subnet_sharing"),
    ("flows",),
    ("stack",),
    ("runner", "checks"),
    ("reports",),
    ("cli",),
)
LAYER_OF = {package: depth for depth, packages in enumerate(LAYERS) for package in packages}


def _imported_packages(path: Path) -> set[str]:
    """The packages of modules/ a file imports (``modules.<package>...``), wherever it does."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        found |= {n.split(".")[1] for n in names if n.startswith("modules.") and "." in n}
    return found


def test_every_package_is_in_a_layer() -> None:
    packages = {
        p.name for p in (PROJECT_ROOT / "modules").iterdir() if (p / "__init__.py").exists()
    }
    assert packages == set(LAYER_OF)


def test_no_package_imports_one_above_it() -> None:
    upward = []
    for path in sorted((PROJECT_ROOT / "modules").rglob("*.py")):
        package = path.relative_to(PROJECT_ROOT / "modules").parts[0]
        if package not in LAYER_OF:
            continue
        for imported in _imported_packages(path) - {package}:
            if LAYER_OF[imported] > LAYER_OF[package]:
                upward.append(f"{path.relative_to(PROJECT_ROOT)} imports modules.{imported}")
    assert not upward


def test_the_constructs_take_policies_and_rules_from_their_caller() -> None:
    """The endpoint policies and the security group rules are inputs (computed by the stack from
    the flows): the construct packages import nothing of modules.flows."""
    for package in ("vpc_endpoints", "security_groups", "network", "subnet_sharing"):
        for path in (PROJECT_ROOT / "modules" / package).rglob("*.py"):
            assert "flows" not in _imported_packages(path), path


#: Where the shipped facts enter: their home, the configurations' defaults, the environment files
#: (which cannot extend them) and a file given to verify. Everything else is handed a Facts.
FACTS_ENTER = {
    "modules/facts/facts.py",
    "modules/vpc_endpoints/config.py",
    "modules/security_groups/config.py",
    "modules/stack/environment.py",
    "modules/checks/verify/model.py",
}


def test_the_facts_are_handed_over_not_read_from_a_global() -> None:
    """One explicit Facts value (modules/facts/facts.py): no context variable overrides the data,
    and the shipped data are read only where they enter."""
    for path in sorted((PROJECT_ROOT / "modules").rglob("*.py")):
        text, name = path.read_text(), str(path.relative_to(PROJECT_ROOT))
        assert "ContextVar" not in text, name
        if "shipped()" in text.replace("``shipped()``", ""):
            assert name in FACTS_ENTER, f"{name} reads the shipped facts: take a Facts instead"
