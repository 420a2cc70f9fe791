"""Benchmark: synthesis, the synth cache, plans and a local deploy, as ratios of one run.

    .venv/bin/python bench/run.py [--repeat 3] [--skip-deploy]

These machines are noisy: every figure is the median of --repeat runs (the 1/3/10-environment
figures of two more), compared cases run round-robin, and the claims are ratios between figures
of the same run. Peak memory is the RSS of the whole process tree
(Python and the jsii Node worker, Terraform and its provider). Writes bench/results.json and
prints the table that help/performance.md shows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modules.stack.environment import PROJECT_ROOT  # noqa: E402
from modules.stack.twins import ROOT as ROOT_COMPOSITION  # noqa: E402
from tests import tfvars  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
TARGETS = {
    "lazy_vs_naive": ("cold synthesis, lazy bindings import / normal import", "<=", 0.30),
    "ten_vs_one_environment": ("10 environments in one process / 1", "<=", 1.30),
    "cache_hit_vs_cold": ("synth cache hit / cold synthesis (in process)", "<=", 0.05),
    "synth_peak_rss_mb": ("peak RSS of a synthesis, Python + Node (MB)", "<=", 700),
}
#: Measured unless --skip-fleet: N environments planned against the emulator. On 2 cores the
#: plans are CPU-bound (each Terraform and its provider take a core while they start and
#: plan), so the fleet's gain is one synthesis instead of N and the overlap of their waits.
FLEET_TARGETS = {
    "fleet_vs_serial_plans": (
        "plan --all of the fleet / each environment planned in turn",
        "<=",
        0.75,
    ),
    "fleet_synth_vs_one": ("synthesis of the whole fleet in one process / of one", "<=", 2.50),
}
#: Measured unless --skip-deploy: what `deploy --local` adds to Terraform's own apply.
DEPLOY_TARGETS = {
    "deploy_vs_raw_apply": (
        "deploy --local (verified) / terraform init + apply of the same JSON, same emulator",
        "<=",
        1.20,
    ),
}


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from one pass over /proc (cheap: the poller must not
    compete with what it measures)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(parent, []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending += parents.get(current, [])
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def measure(command: list[str], env: dict[str, str] | None = None, *, memory: bool = False) -> Run:
    """Wall time of one command; with ``memory``, the peak RSS of its process tree instead.

    Watching memory costs CPU on a 2-core machine, so time and memory come from separate runs.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_rss_kb(p) for p in _tree(process.pid)))
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    if memory:
        poller.start()
    stdout, _ = process.communicate()
    done.set()
    if memory:
        poller.join()
    if process.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout[-3000:]}")
    return Run(time.perf_counter() - started, peak / 1024, stdout)


Command = tuple[list[str], dict[str, str] | None]


#: --quick (the tests: the script runs and reports every case): one run each, and memory only
#: where a target reads it.
QUICK = False
MEMORY_TARGETS = {"synth_lazy_import"}


def timed(commands: dict[str, Command], repeat: int) -> dict[str, dict[str, float]]:
    """Median wall time of ``repeat`` runs of each command, run round-robin so that the cases
    compared in a ratio share the machine's drift, and the peak RSS of one more run of each."""
    seconds: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(1 if QUICK else repeat):
        for name, (command, env) in commands.items():
            seconds[name].append(measure(command, env).seconds)
    return {
        name: {
            "seconds": statistics.median(seconds[name]),
            "peak_mb": measure(command, env, memory=True).peak_mb
            if not QUICK or name in MEMORY_TARGETS
            else 0,
        }
        for name, (command, env) in commands.items()
    }


def _environments(directory: Path, count: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    base = tfvars.shipped("dev")
    for i in range(count):
        tfvars.write(directory, f"env{i:02}", {**base, "name": f"bench-{i:02}"})
    return directory


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-deploy", action="store_true", help="no deploy, no plan figures")
    parser.add_argument("--skip-fleet", action="store_true", help="no fleet figures")
    parser.add_argument(
        "--quick", action="store_true", help="one run per case, memory only for its target (tests)"
    )
    parser.add_argument(
        "--fleet-size", type=int, default=20, help="environments in the fleet case (default 20)"
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help=f"where to write (default {RESULTS})"
    )
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    global QUICK
    QUICK = args.quick
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    cases: dict[str, dict[str, float]] = {}
    _synthesis(python, work, cases, args.repeat)
    _synth_cache(python, work, cases, args.repeat)
    if not args.skip_deploy:
        _deploy_and_plans(python, work, cases, args.repeat)
        _deploy_overhead(python, work, cases, args.repeat)
    if not args.skip_fleet:
        _fleet(python, work, cases, args.fleet_size)
    results = _results(cases, args.repeat)
    args.results.write_text(json.dumps(results, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    from tools.docs import benchmark_table

    print(benchmark_table(args.results))
    return 0 if all(t["met"] for t in results["targets"].values()) else 1


def _report(cases: dict[str, dict[str, float]], new: dict[str, dict[str, float]]) -> None:
    cases.update(new)
    for name, case in new.items():
        print(f"  {name}: {case['seconds']:.2f}s, {case['peak_mb']:.0f} MB", flush=True)


def _synthesis(python: str, work: Path, cases: dict[str, dict[str, float]], repeat: int) -> None:
    """Cold syntheses (the synth cache bypassed): lazy and naive imports, 1, 3, 10 environments."""

    def synth(name: str, extra: dict[str, str] | None = None, *more: str) -> tuple[str, Command]:
        env = {
            "CDKTF_OUTDIR": str(work / name),
            "AGENTCORE_STATE_DIR": str(work / "state"),
            **(extra or {}),
        }
        return name, ([python, "main.py", "synth", "--no-cache", *more], env)

    print("synthesis (cold: the synth cache bypassed)", flush=True)
    imports = [
        synth("synth_naive_import", {"AGENTCORE_NAIVE_IMPORT": "1"}, "--env", "dev"),
        synth("synth_lazy_import", None, "--env", "dev"),
        ("synth_bare_cdktf", ([python, "bench/bare_app.py", str(work / "bare")], None)),
    ]
    _report(cases, timed(dict(imports), repeat))
    # The scaling ratio compares figures that differ by about a second: more runs.
    scaling = [
        synth(
            f"synth_{count}_environments",
            {"AGENTCORE_ENVIRONMENTS_DIR": str(_environments(work / f"envs-{count}", count))},
            "--all",
        )
        for count in (1, 3, 10)
    ]
    _report(cases, timed(dict(scaling), repeat + 2))


def _synth_cache(python: str, work: Path, cases: dict[str, dict[str, float]], repeat: int) -> None:
    """A synthesis in one process, cold and then from the synth cache."""
    print("synth cache (in process)", flush=True)
    cold, hits = [], []
    for i in range(repeat):
        state = work / f"cache-{i}"
        command = [
            python,
            "bench/synth_once.py",
            str(work / f"cache-out-{i}"),
            str(state),
            "cache",
            "dev",
        ]
        cold.append(json.loads(measure(command).stdout.strip().splitlines()[-1])["seconds"])
        hit = json.loads(measure(command).stdout.strip().splitlines()[-1])
        assert hit["cached"], hit
        hits.append(hit["seconds"])
    cases["synth_cold_in_process"] = {"seconds": statistics.median(cold), "peak_mb": 0}
    cases["synth_cache_hit_in_process"] = {"seconds": statistics.median(hits), "peak_mb": 0}


def _results(cases: dict[str, dict[str, float]], repeat: int) -> dict[str, Any]:
    """The figures, their ratios, and whether each target is met."""
    ratios = {
        "lazy_vs_naive": cases["synth_lazy_import"]["seconds"]
        / cases["synth_naive_import"]["seconds"],
        "ten_vs_one_environment": cases["synth_10_environments"]["seconds"]
        / cases["synth_1_environments"]["seconds"],
        "cache_hit_vs_cold": cases["synth_cache_hit_in_process"]["seconds"]
        / cases["synth_cold_in_process"]["seconds"],
        "synth_peak_rss_mb": cases["synth_lazy_import"]["peak_mb"],
    }
    targets = dict(TARGETS)
    if "fleet_plan" in cases:
        ratios["fleet_vs_serial_plans"] = (
            cases["fleet_plan"]["seconds"] / cases["fleet_serial_plans"]["seconds"]
        )
        ratios["fleet_synth_vs_one"] = (
            cases["fleet_synth_all"]["seconds"] / cases["fleet_synth_one"]["seconds"]
        )
        targets.update(FLEET_TARGETS)
    if "deploy_verified" in cases:
        ratios["deploy_vs_raw_apply"] = (
            cases["deploy_verified"]["seconds"] / cases["raw_apply"]["seconds"]
        )
        targets.update(DEPLOY_TARGETS)
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "repeat": repeat,
        "cases": cases,
        "ratios": ratios,
        "targets": {
            k: {"what": w, "op": op, "limit": limit, "met": ratios[k] <= limit}
            for k, (w, op, limit) in targets.items()
        },
    }


def _deploy_and_plans(
    python: str, work: Path, cases: dict[str, dict[str, float]], repeat: int
) -> None:
    env = {
        "AGENTCORE_STATE_DIR": str(work / "deploy-state"),
        "CDKTF_OUTDIR": str(work / "deploy-out"),
    }
    print("deploy --local of the full network", flush=True)
    try:
        deploy = measure(
            [python, "main.py", "deploy", "--local"], env, memory=True
        )  # once: it deploys
        cases["deploy_local"] = {"seconds": deploy.seconds, "peak_mb": deploy.peak_mb}
        print(f"  deploy_local: {cases['deploy_local']['seconds']:.1f}s", flush=True)
        exports = measure([python, "main.py", "env", "--local"], env).stdout
        tf_env = {**env, **_parse_exports(exports)}
        stack_dir = str(work / "deploy-out" / "stacks" / "network-dev")
        plan = [
            "terraform",
            f"-chdir={stack_dir}",
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
            "-lock=false",
        ]
        hcl_env = _adopt_in_hcl_root(work, tf_env)
        hcl_plan = [
            "terraform",
            f"-chdir={ROOT_COMPOSITION}",
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
            "-lock=false",
            f"-var-file={PROJECT_ROOT / 'environments' / 'dev.tfvars'}",
        ]
        cases.update(
            timed(
                {"noop_plan_stack": (plan, tf_env), "noop_plan_hcl_twin": (hcl_plan, hcl_env)},
                repeat,
            )
        )
    finally:
        measure([python, "main.py", "local", "down"], env)


def _deploy_overhead(
    python: str, work: Path, cases: dict[str, dict[str, float]], repeat: int
) -> None:
    """A first `deploy --local` (synthesis cached, emulator running: what a user has) against
    `terraform init` + `terraform apply -auto-approve` of the same synthesized JSON, in turn on
    one emulator, each on an environment of its own (copies of dev under other names)."""
    runs = 1 if QUICK else repeat
    directory = work / "overhead-envs"
    base = tfvars.shipped("dev")
    for i in range(runs):
        for kind in ("deploy", "raw"):
            tfvars.write(directory, f"{kind}{i}", {**base, "name": f"bench-{kind}{i}"})
    env = {
        "AGENTCORE_STATE_DIR": str(work / "overhead-state"),
        "CDKTF_OUTDIR": str(work / "overhead-out"),
        "AGENTCORE_ENVIRONMENTS_DIR": str(directory),
    }
    print("deploy --local against terraform apply of the same JSON", flush=True)
    deploys, raws = [], []
    try:
        measure([python, "main.py", "local", "up"], env)
        for i in range(runs):  # the synth cache, warm (keyed by the environments synthesized)
            for kind in ("deploy", "raw"):
                measure([python, "main.py", "synth", "--env", f"{kind}{i}"], env)
        for i in range(runs):
            deploys.append(
                measure(
                    [python, "main.py", "deploy", "--local", "--env", f"deploy{i}"], env
                ).seconds
            )
            exports = measure([python, "main.py", "env", "--local", "--env", f"raw{i}"], env)
            tf_env = {**env, **_parse_exports(exports.stdout)}
            stack = str(work / "overhead-out" / "stacks" / f"network-raw{i}")
            raws.append(
                sum(
                    measure(["terraform", f"-chdir={stack}", *command], tf_env).seconds
                    for command in (
                        ["init", "-input=false", "-no-color"],
                        ["apply", "-auto-approve", "-input=false", "-no-color"],
                    )
                )
            )
        cases["deploy_verified"] = {"seconds": statistics.median(deploys), "peak_mb": None}
        cases["raw_apply"] = {"seconds": statistics.median(raws), "peak_mb": None}
        for name in ("deploy_verified", "raw_apply"):
            print(f"  {name}: {cases[name]['seconds']:.1f}s", flush=True)
    finally:
        measure([python, "main.py", "local", "down"], env)


def _fleet(python: str, work: Path, cases: dict[str, dict[str, float]], size: int) -> None:
    """``size`` environments planned against the emulator: one after the other (a process each,
    as a shell loop would), then all with ``plan --all`` (synthesized together, planned --jobs
    at a time); and the synthesis of all of them in one process against that of one. Once each:
    these take minutes."""
    directory = _environments(work / f"fleet-{size}", size)
    env = {
        "AGENTCORE_STATE_DIR": str(work / "fleet-state"),
        "CDKTF_OUTDIR": str(work / "fleet-out"),
        "AGENTCORE_ENVIRONMENTS_DIR": str(directory),
    }
    print(f"fleet: {size} environments planned against the emulator", flush=True)
    try:
        measure([python, "main.py", "local", "up"], env)
        serial = 0.0
        for name in sorted(p.stem for p in directory.glob("*.tfvars")):
            serial += measure(
                [python, "main.py", "plan", "--local", "--no-cache", "--env", name], env
            ).seconds
        cases["fleet_serial_plans"] = {"seconds": serial, "peak_mb": None}  # not measured
        fleet = measure([python, "main.py", "plan", "--all", "--local", "--no-cache"], env)
        cases["fleet_plan"] = {"seconds": fleet.seconds, "peak_mb": None}
        for name, more in (("fleet_synth_all", ["--all"]), ("fleet_synth_one", ["--env", "env00"])):
            command = [python, "main.py", "synth", "--no-cache", *more]
            cases[name] = {
                "seconds": measure(command, env).seconds,
                "peak_mb": measure(command, env, memory=True).peak_mb,
            }
        for name in ("fleet_serial_plans", "fleet_plan", "fleet_synth_all", "fleet_synth_one"):
            print(f"  {name}: {cases[name]['seconds']:.1f}s", flush=True)
    finally:
        measure([python, "main.py", "local", "down"], env)


def _parse_exports(text: str) -> dict[str, str]:
    exports = {}
    for line in text.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            exports[name] = value.strip("'\"").replace("$PATH", os.environ["PATH"])
    return exports


def _adopt_in_hcl_root(work: Path, tf_env: dict[str, str]) -> dict[str, str]:
    """The HCL root on a copy of the stack's state, its moves applied once."""
    state = work / "hcl.tfstate"
    shutil.copy(work / "deploy-state" / "emulator" / "dev" / "terraform.tfstate", state)
    env = {
        **tf_env,
        "TF_DATA_DIR": str(work / "hcl-data"),
        "TF_CLI_ARGS_init": f"-reconfigure -backend-config=path={state}",
    }
    root = str(ROOT_COMPOSITION)
    measure(["terraform", f"-chdir={root}", "init", "-input=false", "-no-color"], env)
    measure(
        [
            "terraform",
            f"-chdir={root}",
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            f"-var-file={PROJECT_ROOT / 'environments' / 'dev.tfvars'}",
        ],
        env,
    )
    return env


if __name__ == "__main__":
    raise SystemExit(main())
