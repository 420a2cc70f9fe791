"""help/library.md's example, executed: a user's own TerraformStack from configurations built in
code synthesizes, and `verify` proves every flow it selects on the result."""

from __future__ import annotations

import re
from pathlib import Path

from modules.checks.verify import flow_results, load_model, verify_model
from modules.stack.environment import PROJECT_ROOT

PAGE = PROJECT_ROOT / "help" / "library.md"


def test_the_library_example_synthesizes_and_is_proven(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    namespace: dict[str, object] = {"__name__": "library_example"}
    exec(compile(code, str(PAGE), "exec"), namespace)  # noqa: S102 - the documented example itself
    namespace["synthesize"](str(tmp_path))  # type: ignore[operator]
    (stack,) = tmp_path.glob("stacks/*/cdk.tf.json")
    model = load_model(stack)
    assert verify_model(model) == []
    results = flow_results(model)
    assert {r.flow.key for r in results} == set(namespace["FLOWS"])  # type: ignore[arg-type]
    assert all(r.status == "reachable" for r in results)
    tagged = [i for i in model.instances if "tags" in i.values]
    assert len(tagged) >= 15
    for instance in tagged:  # the team's tags on each, and each keeps its own Name
        tags = instance.values["tags"]
        assert tags["Team"] == "payments" and tags["Name"], instance.address
