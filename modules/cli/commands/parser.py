"""The argument parser: every command, its options and examples."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from modules import __version__
from modules.checks.doctor.checks import checklist
from modules.cli import json_output
from modules.cli.commands import (
    cost,
    deploy,
    deploy_role,
    destroy,
    diagram,
    doctor,
    drift,
    env,
    force_unlock,
    local,
    matrix,
    output,
    plan,
    synth,
    verify,
)
from modules.console import exit_codes
from modules.console.say import wrap
from modules.kernel.engine import selected_engine
from modules.runner.fleet import DEFAULT_JOBS
from modules.runner.provider_mirror import AWS_PROVIDER_VERSION

DESCRIPTION = """\
Private network for Amazon Bedrock AgentCore: a VPC with no internet access, 14 VPC endpoints,
least-privilege security groups and encrypted flow logs, as CDKTF constructs.
Environments are the files environments/<name>.tfvars."""

EXAMPLES = """\
examples:
  python main.py deploy --local            deploy dev to the local AWS emulator and verify it
  python main.py plan --local              exit 0 if nothing would change, 2 if something would
  python main.py drift --local             what changed since the deploy, and what was added
  python main.py verify --env prod         prove: every flow gets through, nothing else does
  python main.py doctor --local            the AWS sample's troubleshooting checklist, with fixes
  python main.py cost --what-if            monthly cost and its alternatives
  python main.py diagram --all             draw every environment as SVG and PNG
  python main.py destroy --local           remove it again
  python main.py synth --env prod          write cdktf.out/stacks/network-prod/cdk.tf.json
  python main.py deploy --env prod         deploy to the AWS account of your credentials
  python main.py local status              the emulator's URL, for other AWS tools
"""


def _environment_options(parser: argparse.ArgumentParser, *, local: bool = True) -> None:
    parser.add_argument(
        "--env",
        default=None,
        metavar="NAME",  # None: not given (conflicts), then dev
        help="environment: reads environments/NAME.tfvars (default: dev)",
    )
    parser.add_argument(
        "--no-cache",
        dest="use_cache",
        action="store_false",
        help="synthesize even when nothing changed since the last synthesis",
    )
    if local:
        parser.add_argument(
            "--local",
            action="store_true",
            help="use the embedded AWS emulator on 127.0.0.1 (started if needed) and its own state",
        )


def _jobs(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 32:
        raise argparse.ArgumentTypeError(
            f"not a number of environments at once (1 to 32): {value!r}"
        )
    return int(value)


def _selection_options(parser: argparse.ArgumentParser, every: str) -> None:
    """--all / --match: many environments at once (modules/runner/fleet.py)."""
    parser.add_argument("--all", action="store_true", help=every)
    parser.add_argument(
        "--match",
        action="append",
        metavar="PATTERN",
        help="the environments whose names match (shell pattern, repeatable): --match 'prod*'",
    )


def _fleet_options(parser: argparse.ArgumentParser) -> None:
    """The command over a selection of environments, --jobs at a time, and --json."""
    _selection_options(parser, "every environment (environments/*.tfvars, not _*)")
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=DEFAULT_JOBS,
        metavar="N",
        help=f"with --all/--match: environments at once (default: {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="machine-readable report on stdout (plan: one table entry per environment)",
    )


def _approval_option(parser: argparse.ArgumentParser, action: str) -> None:
    parser.add_argument("--auto-approve", action="store_true", help=f"{action} without asking (CI)")


#: Options of a command that contradict each other: given together, they are a usage error
#: (silently preferring one would run something the user did not ask for).
CONFLICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "verify": (
        ("file", "plan"),
        ("file", "live"),
        ("plan", "live"),
        ("file", "env"),
        ("file", "local"),
        ("all", "env"),
        ("match", "env"),
        ("all", "match"),
        ("file", "all"),
        ("file", "match"),
        ("live", "all"),
        ("live", "match"),
    ),
    "plan": (
        ("all", "env"),
        ("match", "env"),
        ("all", "match"),
        ("out", "all"),
        ("out", "match"),
        ("out", "json"),
    ),
    "drift": (("all", "env"), ("match", "env"), ("all", "match")),
    "deploy": (("auto_approve", "require_approval"),),
    "matrix": (("all", "match"),),
    "synth": (("all", "env"),),
    "diagram": (("all", "env"),),
}


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse, refuse contradicting options in one line (exit 1), then default --env to dev."""
    args = parser.parse_args(argv)
    for first, second in CONFLICTS.get(args.command, ()):
        if getattr(args, first, None) and getattr(args, second, None):
            parser.error(f"{args.command}: --{first} and --{second} cannot be used together")
    if getattr(args, "jobs", DEFAULT_JOBS) != DEFAULT_JOBS and not (
        getattr(args, "all", False) or getattr(args, "match", None)
    ):
        parser.error(f"{args.command}: --jobs needs --all or --match")
    if hasattr(args, "env") and args.env is None:
        args.env = "dev"
    return args


#: Adds one command (name, help, example) and returns its parser, --help ending with both.
CommandAdder = Callable[[str, str, str], argparse.ArgumentParser]


class UsageError(SystemExit):
    """A usage mistake: exit 1 (any error), its one line already on stderr; ``message`` is that
    line without ``error:``, for the --json envelope."""

    def __init__(self, message: str) -> None:
        super().__init__(exit_codes.ERROR)
        self.message = message


class Parser(argparse.ArgumentParser):
    """argparse, with usage mistakes exiting 1 in one line (exit_codes: 1 is any error)."""

    def error(self, message: str) -> NoReturn:
        mistake = f"{message} (see `{self.prog} --help`)"
        print(f"error: {mistake}", file=sys.stderr)
        raise UsageError(mistake)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python main.py",
        description=DESCRIPTION,
        epilog=EXAMPLES + wrap(exit_codes.EPILOG, hang="  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__} ({selected_engine().name} engine, hashicorp/aws "
        f"{AWS_PROVIDER_VERSION})",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=wrap(help_text),
            epilog=f"example:\n  {example}\nexit codes: {exit_codes.COMMANDS[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    for add in (_add_lifecycle, _add_checks, _add_reports, _add_tools):
        add(command)
    for name in json_output.REPORTED:
        commands.choices[name].add_argument(
            "--json",
            action="store_true",
            help="one JSON envelope on stdout (what was done, timings); the progress on stderr",
        )
    return parser


def _add_lifecycle(command: CommandAdder) -> None:
    """Synthesis and the lifecycle: synth, plan, deploy, output, destroy."""
    for add in (_add_synth, _add_plan, _add_deploy, _add_output, _add_destroy):
        add(command)


def _add_synth(command: CommandAdder) -> None:
    synth_parser = command(
        "synth",
        "write Terraform JSON to cdktf.out/stacks/network-<env>/",
        "python main.py synth --env prod",
    )
    _environment_options(synth_parser, local=False)
    synth_parser.add_argument(
        "--all",
        action="store_true",
        help="every environment (the default "
        "when main.py runs without a command, as `cdktf synth` does)",
    )
    synth_parser.set_defaults(handler=synth.run)


def _add_plan(command: CommandAdder) -> None:
    plan_parser = command(
        "plan",
        "show what deploy would change; exit 0 none, 2 changes, 1 error",
        "python main.py plan --local",
    )
    _environment_options(plan_parser)
    plan_parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="save the plan (FILE, and FILE.json to review and verify) for deploy --plan",
    )
    _fleet_options(plan_parser)
    plan_parser.set_defaults(handler=plan.run)


def _add_deploy(command: CommandAdder) -> None:
    deploy_parser = command(
        "deploy",
        "plan, apply, then verify by re-planning and reading the network back",
        "python main.py deploy --local",
    )
    _environment_options(deploy_parser)
    _approval_option(deploy_parser, "apply to real AWS")
    deploy_parser.add_argument(
        "--require-approval",
        choices=("never", "broadening", "any-change"),
        default=None,
        help="when to show the plan and ask before applying: broadening (a change widens "
        "access: the default on real AWS), any-change, or never (the default with --local)",
    )
    deploy_parser.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="skip the re-plan and the live read-back",
    )
    deploy_parser.add_argument(
        "--plan",
        type=Path,
        metavar="FILE",
        help="apply exactly this plan from `plan --out FILE` (refused if stale, or made "
        "for another environment or configuration)",
    )
    deploy_parser.set_defaults(handler=deploy.run)


def _add_output(command: CommandAdder) -> None:
    output_parser = command(
        "output",
        "the deployed network's outputs (ids of the VPC, subnets, groups, "
        "endpoints), like terraform output",
        "python main.py output --env prod --json",
    )
    _environment_options(output_parser)
    output_parser.add_argument(
        "--json", action="store_true", help="machine-readable, in the one JSON envelope"
    )
    output_parser.set_defaults(handler=output.run)


def _add_destroy(command: CommandAdder) -> None:
    destroy_parser = command(
        "destroy",
        "remove every resource of the environment (protected environments refuse)",
        "python main.py destroy --local",
    )
    _environment_options(destroy_parser)
    _approval_option(destroy_parser, "destroy in real AWS")
    destroy_parser.set_defaults(handler=destroy.run)


def _add_checks(command: CommandAdder) -> None:
    """Reading and checking the deployed network: drift, verify, doctor."""
    drift_parser = command(
        "drift",
        "what changed in the live network and what was added to it; exit 0 none, 2 drift, 1 error",
        "python main.py drift --env prod --json",
    )
    _environment_options(drift_parser)
    _fleet_options(drift_parser)
    drift_parser.set_defaults(handler=drift.run)

    verify_parser = command(
        "verify",
        "prove every selected flow gets through, hop by hop, and nothing "
        "else does; exit 0 proven, 2 refuted, 1 error",
        "python main.py verify --file plan.json",
    )
    _environment_options(verify_parser)
    verify_parser.add_argument(
        "--file",
        type=Path,
        metavar="PATH",
        help="verify this cdk.tf.json or `terraform show -json` plan instead",
    )
    verify_parser.add_argument(
        "--plan", action="store_true", help="also verify a fresh plan against the target"
    )
    verify_parser.add_argument(
        "--live", action="store_true", help="verify the deployed network, read back with boto3"
    )
    verify_parser.add_argument(
        "--access-scopes",
        metavar="DIR",
        type=Path,
        help="with --live: also write verify's claims as Network Access Analyzer scopes into DIR "
        "(help/deploy-to-aws.md#a-second-opinion-from-aws)",
    )
    _fleet_options(verify_parser)
    verify_parser.set_defaults(handler=verify.run)

    doctor_parser = command(
        "doctor",
        "the AWS sample's troubleshooting checklist against the deployed network, "
        "with fixes; exit 0 healthy, 2 problems, 1 error",
        "python main.py doctor --local",
    )
    _environment_options(doctor_parser)
    doctor_parser.add_argument(
        "--symptom",
        action="append",
        choices=sorted(checklist()),
        metavar="SYMPTOM",
        help=f"only this symptom (repeatable): {', '.join(sorted(checklist()))}",
    )
    doctor_parser.add_argument(
        "--json", action="store_true", help="machine-readable report on stdout"
    )
    doctor_parser.set_defaults(handler=doctor.run)


def _add_reports(command: CommandAdder) -> None:
    """Reports for people: cost, diagram."""
    cost_parser = command(
        "cost",
        "monthly cost, per endpoint and AZ, and what-ifs with what each gives up (no AWS access)",
        "python main.py cost --env prod --what-if --data-gb 500",
    )
    _environment_options(cost_parser, local=False)
    cost_parser.add_argument(
        "--what-if",
        action="store_true",
        help="alternatives side by side: 2 AZs, without optional flows, shared by N workloads",
    )
    cost_parser.add_argument(
        "--data-gb",
        type=cost.gb,
        default=0,
        metavar="GB",
        help="PrivateLink data processed a month (tiered price)",
    )
    cost_parser.add_argument(
        "--flow-log-gb",
        type=cost.gb,
        default=0,
        metavar="GB",
        help="flow logs ingested a month (ingestion and steady-state storage)",
    )
    cost_parser.add_argument(
        "--workloads",
        type=cost.workload_count,
        nargs="+",
        metavar="N",
        help="how many workloads share the network: what each pays, shared and unshared "
        "(default: the environment's subnet_sharing.workloads; the what-if takes 2 5 10)",
    )
    cost_parser.add_argument(
        "--prices", type=Path, metavar="FILE", help="price overrides, shaped like prices.json"
    )
    cost_parser.add_argument(
        "--json", action="store_true", help="machine-readable report on stdout"
    )
    cost_parser.set_defaults(handler=cost.run)

    diagram_parser = command(
        "diagram",
        "draw the network (subnets per AZ, endpoints, security groups, the "
        "AWS sample's flows) as SVG and PNG",
        "python main.py diagram --env prod",
    )
    _environment_options(diagram_parser, local=False)
    diagram_parser.add_argument("--all", action="store_true", help="every environment")
    diagram_parser.add_argument(
        "--output", type=Path, metavar="DIR", help="where to write (default: cdktf.out/diagrams)"
    )
    diagram_parser.set_defaults(handler=diagram.run)


def _add_tools(command: CommandAdder) -> None:
    """Tools around the lifecycle: matrix, env, force-unlock, local."""
    matrix_parser = command(
        "matrix",
        "the CI matrix of many environments (JSON, one job each) for strategy.matrix",
        "python main.py matrix --match 'prod*'",
    )
    _selection_options(matrix_parser, "every environment (the default)")
    matrix_parser.add_argument(
        "--local", action="store_true", help="mark the jobs for the local emulator"
    )
    matrix_parser.set_defaults(handler=matrix.run)

    env_parser = command(
        "env",
        "print shell exports so that terraform and the cdktf CLI use the same "
        "state (and, with --local, the emulator)",
        'eval "$(python main.py env --local)"\n'
        "  npx cdktf deploy network-dev --auto-approve --skip-provider-lock",
    )
    _environment_options(env_parser)
    env_parser.set_defaults(handler=env.run)

    role_parser = command(
        "deploy-role",
        "the least-privilege IAM policy of the role that deploys the environment, from its "
        "synthesized stack (no AWS access)",
        "python main.py deploy-role --env prod --account 123456789012 > policy.json",
    )
    _environment_options(role_parser, local=False)
    role_parser.add_argument(
        "--account",
        type=deploy_role.account_id,
        metavar="ID",
        help="the target account: its ARNs instead of any account's (*)",
    )
    role_parser.set_defaults(handler=deploy_role.run)

    unlock_parser = command(
        "force-unlock",
        "release a state lock left by a killed Terraform run (only when no run is active)",
        "python main.py force-unlock 1a2b3c --env prod",
    )
    unlock_parser.add_argument(
        "lock_id", metavar="LOCK_ID", help="the lock ID the lock error printed"
    )
    _environment_options(unlock_parser)
    unlock_parser.set_defaults(handler=force_unlock.run)

    local_parser = command(
        "local",
        "start, stop or locate the embedded AWS emulator (moto on 127.0.0.1)",
        "python main.py local status",
    )
    local_parser.add_argument(
        "action",
        choices=("up", "down", "status"),
        help="up: start it; down: stop it and archive its states; status: print its URL",
    )
    local_parser.set_defaults(handler=local.run)
