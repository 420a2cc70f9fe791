"""Runs the Terraform CLI in a stack directory, with progress output and clear failures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modules.console.say import say
from modules.kernel.errors import CommandError
from modules.runner.aws_errors import rejected_credentials
from modules.runner.provider_mirror import cli_config, find_provider_mirror, install_failure

MINIMUM_VERSION = (1, 10)
# Lines worth showing while Terraform works; everything is kept for error reports.
_PROGRESS = re.compile(
    r"(Creating\.\.\.|Creation complete|Modifying\.\.\.|Modifications complete|Destroying\.\.\."
    r"|Destruction complete|Still (creating|destroying|modifying)|Apply complete|Destroy complete"
    r"|^Plan:|No changes\.|Error:|Warning:)"
)


@dataclass(frozen=True)
class Result:
    """What a Terraform command printed and how it exited."""

    exit_code: int
    output: str


@dataclass(frozen=True)
class Planned:
    """A plan saved to a file: Terraform's exit code (0 no changes, 2 changes), its text and
    its JSON."""

    exit_code: int
    #: The plan as Terraform prints it, from its first word on (without the refresh lines).
    text: str
    document: dict[str, Any]


#: Where Terraform's account of a plan starts, after the lines of its refresh.
_PLAN_START = re.compile(
    r"^(Terraform used the selected providers|No changes\.|Terraform will perform|"
    r"Note: Objects have changed outside of Terraform)",
    re.M,
)


def _plan_text(output: str) -> str:
    start = _PLAN_START.search(output)
    return (output[start.start() :] if start else output).rstrip() + "\n"


def terraform_binary() -> str:
    """The terraform executable (``TERRAFORM_BINARY`` or PATH), at least MINIMUM_VERSION."""
    configured = os.environ.get("TERRAFORM_BINARY")
    if configured and not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
        raise CommandError(
            f"TERRAFORM_BINARY={configured} is not an executable file. Point it at the "
            "terraform binary, or unset it to use the one on PATH."
        )
    binary = configured or shutil.which("terraform")
    if not binary:
        raise CommandError(
            "Terraform is not installed or not on PATH. Install Terraform >= 1.10 "
            "(https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY."
        )
    return binary


def check_version(binary: str) -> str:
    completed = subprocess.run(
        [binary, "version", "-json"], capture_output=True, text=True, env=_base_env(), check=False
    )
    try:
        version = json.loads(completed.stdout)["terraform_version"]
    except (ValueError, KeyError):
        raise CommandError(
            f"Could not read the version of {binary}: {completed.stderr.strip()}"
        ) from None
    major, minor = (int(part) for part in version.split(".")[:2])
    if (major, minor) < MINIMUM_VERSION:
        raise CommandError(
            f"Terraform {version} is too old: this project needs >= 1.10 (S3 native locking, "
            "templatestring). Upgrade Terraform."
        )
    return str(version)


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
    return env


class Terraform:
    """Terraform for one stack directory, one data dir and one environment."""

    def __init__(
        self,
        workdir: Path,
        *,
        data_dir: Path,
        extra_env: Mapping[str, str],
        cli_config_dir: Path,
    ) -> None:
        self.binary = terraform_binary()
        self.workdir = workdir
        self.env = _base_env()
        self.env.update(extra_env)
        self.env["TF_DATA_DIR"] = str(data_dir)
        mirror = find_provider_mirror()
        if mirror is not None:
            cli_config_dir.mkdir(parents=True, exist_ok=True)
            config_file = cli_config_dir / "terraformrc"
            text = cli_config(mirror)
            if not config_file.is_file() or config_file.read_text() != text:
                # Atomically: Terraforms of other environments may be reading it (the fleet).
                partial = config_file.with_name(
                    f"terraformrc.{os.getpid()}.{threading.get_ident()}"
                )
                partial.write_text(text)
                os.replace(partial, config_file)
            self.env["TF_CLI_CONFIG_FILE"] = str(config_file)
        elif not Path(self.env.get("TF_CLI_CONFIG_FILE", "")).is_file():
            # A TF_CLI_CONFIG_FILE naming a missing file makes Terraform warn on every run.
            self.env.pop("TF_CLI_CONFIG_FILE", None)
        self.mirror = mirror

    def run(
        self,
        args: Sequence[str],
        *,
        show: str = "progress",
        ok_codes: Sequence[int] = (0,),
        what: str | None = None,
        watch: Callable[[str], None] | None = None,
    ) -> Result:
        """Run ``terraform <args>``. ``show``: "all" lines, "progress" lines only, or "none".

        Raises CommandError (with Terraform's error lines) on an exit code not in ``ok_codes``.
        ``watch`` sees every output line as it comes (to explain a long wait, say).
        """
        command = [self.binary, f"-chdir={self.workdir}", *args]
        started = time.monotonic()
        lines: list[str] = []
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=self.env,
            )
        except OSError as error:
            raise CommandError(f"Could not start {self.binary}: {error}.") from None
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.append(line)
                text = line.rstrip()
                if show == "all":  # Terraform's own text, indentation and all
                    print(f"  {text}", flush=True)
                elif show == "progress" and _PROGRESS.search(text):
                    say(
                        f"[{time.monotonic() - started:5.0f}s] {text.strip()}",
                        "  ",
                        " " * 11,
                        stream=sys.stdout,
                    )
                if watch is not None:
                    watch(text)
            exit_code = process.wait()
        except KeyboardInterrupt:
            # Terraform got the same SIGINT and stops gracefully, writing state; wait for it.
            print("\nInterrupted: waiting for Terraform to save its state...", file=sys.stderr)
            process.wait()
            raise
        output = "".join(lines)
        if exit_code not in ok_codes:
            message = _failure_message(what or f"terraform {args[0]}", exit_code, output)
            if _lock_message(output):
                raise StateLocked(message, holder=_lock_holder(output))
            raise CommandError(message)
        return Result(exit_code=exit_code, output=output)

    def output_json(self) -> dict[str, object]:
        result = self.run(["output", "-json"], show="none")
        return {name: value["value"] for name, value in json.loads(result.output).items()}

    def plan_to(
        self, plan_file: Path, args: Sequence[str] = (), *, what: str = "terraform plan"
    ) -> Planned:
        """``terraform plan -out=plan_file``: its text as Terraform prints it and its JSON
        (``terraform show -json``). The caller owns plan_file (it can hold sensitive values)."""
        result = self.run(
            [
                "plan",
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
                "-lock-timeout=30s",
                *args,
                f"-out={plan_file}",
            ],
            show="none",
            ok_codes=(0, 2),
            what=what,
        )
        document = json.loads(self.run(["show", "-json", str(plan_file)], show="none").output)
        return Planned(result.exit_code, _plan_text(result.output), document)

    def plan_json(
        self, args: Sequence[str], plan_file: Path, *, what: str = "terraform plan"
    ) -> dict[str, Any]:
        """``terraform plan <args> -out=plan_file``, read back with ``terraform show -json``.

        The plan file is removed afterwards, whatever happens: it can hold sensitive values.
        """
        try:
            self.run(["plan", *args, f"-out={plan_file}"], show="none", what=what)
            return dict(json.loads(self.run(["show", "-json", str(plan_file)], show="none").output))
        finally:
            plan_file.unlink(missing_ok=True)


class StateLocked(CommandError):
    """Another Terraform run holds the state's lock (the message says whose, since when)."""

    def __init__(self, message: str, *, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


def _lock_holder(output: str) -> str:
    """Who holds the lock, as Terraform's "Error acquiring the state lock" names them."""
    info = dict(re.findall(r"^\s+(ID|Path|Operation|Who|Created):\s*(.*)$", output, re.M))
    return (
        f"lock {info.get('ID', '?')}: {info.get('Operation', '?')} by {info.get('Who', '?')} "
        f"since {info.get('Created', '?')}"
    )


def _lock_message(output: str) -> str | None:
    if "Error acquiring the state lock" not in output:
        return None
    lock_id = dict(re.findall(r"^\s+(ID):\s*(.*)$", output, re.M)).get("ID", "<lock id>")
    return (
        f"The state is locked by another Terraform run ({_lock_holder(output)}). Nothing was "
        "changed. Wait for that run to finish. If it was killed and nothing is running any more, "
        f"release the lock: python main.py force-unlock {lock_id} with the same --env and "
        "--local as this command."
    )


def _unreadable_state_message(output: str) -> str | None:
    if not re.search(
        r"unsupported state file format|failed to load state|error loading state"
        r"|state snapshot was created by|failed to decode state",
        output,
        re.I,
    ):
        return None
    return (
        "Terraform cannot read this environment's state (it is truncated, edited or from a newer "
        "Terraform). Nothing was changed. Restore the previous state: for local state, "
        "terraform.tfstate.backup beside the state file; for S3 state, an earlier object version "
        "(aws s3api list-object-versions --bucket BUCKET --prefix KEY, then copy the good version "
        "back over KEY)."
    )


def _unreachable_message(output: str) -> str | None:
    match = re.search(
        r"dial tcp ([^:\s]+:\d+): connect: connection refused|no such host|i/o timeout|"
        r"network is unreachable|connection reset by peer",
        output,
    )
    if not match:
        return None
    where = match.group(1) or "AWS"
    return (
        f"Terraform could not reach AWS ({where}: {match.group(0)}). Terraform records in the "
        "state every resource it finished, so nothing is lost; run the command again when the "
        "network is back. With --local: the emulator stopped; `python main.py local status` shows "
        "it, and `python main.py local down` archives state that lived only in it."
    )


def _credentials_message(output: str) -> str | None:
    match = re.search(
        r"InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken"
        r"|No valid credential sources found|failed to refresh cached credentials",
        output,
    )
    if not match:
        # The provider's own check of the credentials (STS GetCallerIdentity) refused outright.
        refused = re.search(r"validating provider credentials:.*?StatusCode: (403)", output, re.S)
        if refused is None:
            return None
        return rejected_credentials("STS GetCallerIdentity answered 403")
    return rejected_credentials(match.group(0))


def _dependency_message(output: str) -> str | None:
    if "DependencyViolation" not in output:
        return None
    return (
        "AWS refused to delete a subnet or security group that network interfaces still use "
        "(DependencyViolation). AgentCore runtime ENIs stay up to 8 hours after their runtime is "
        "deleted. Nothing else was lost: the state keeps what is left. Delete the runtimes first, "
        "wait, then run destroy again."
    )


def _precondition_message(what: str, output: str) -> str | None:
    """Our pre- and postconditions' own sentences (each names the field, the value and the fix),
    one a line, instead of Terraform's boxes around them."""
    blocks = [
        b
        for b in re.split(r"\n(?=╷|Error:)", output)
        if "precondition failed" in b or "postcondition failed" in b
    ]
    messages = []
    for block in blocks:
        lines = [re.sub(r"^[│╷╵]\s?", "", line).rstrip() for line in block.splitlines()]
        paragraphs = [p for p in "\n".join(lines).split("\n\n") if p.strip()]
        message = " ".join(paragraphs[-1].split()) if paragraphs else ""
        if message and message not in messages:
            messages.append(message)
    return _refused(what, messages)


def _missing_service_message(what: str, output: str) -> str | None:
    """An endpoint service the region does not offer: the plan could not read it."""
    keys = re.findall(r'with data\.aws_vpc_endpoint_service\.\w+\["(\w+)"\]', output)
    if "reading EC2 VPC Endpoint Service" not in output or not keys:
        return None
    return _refused(
        what,
        [
            f"endpoints: {key}: AWS offers no such endpoint service in this region (the plan could "
            f"not read it). Drop the flows that go through {key}, or choose a region that offers "
            "it."
            for key in dict.fromkeys(keys)
        ],
    )


def _refused(what: str, messages: list[str]) -> str | None:
    """What AWS or our preconditions refuse at plan, one sentence a line (None: nothing)."""
    if not messages:
        return None
    return f"{what} refused before changing anything:\n" + "\n".join(messages)


def _stale_plan_message(output: str) -> str | None:
    if "Saved plan is stale" not in output:
        return None
    return (
        "The saved plan is stale: the state changed after it was made (another deploy or plan "
        "-out applied since). Nothing was applied. Make and review a new plan (python main.py "
        "plan --out FILE)."
    )


def _protected_replacement_message(what: str, output: str) -> str | None:
    """prevent_destroy refusing a replacement: which resources, and the ways out."""
    addresses = re.findall(
        r"Resource (\S+) has lifecycle\.prevent_destroy set", " ".join(output.split())
    )
    if "Instance cannot be destroyed" not in output or not addresses:
        return None
    return (
        f"{what} refused: {', '.join(dict.fromkeys(addresses))} would be replaced, and "
        "prevent_destroy protects them. Nothing was changed. If a deploy of this environment "
        "was interrupted, `deploy` resumes it by itself (it untaints what it was creating). If "
        "they were marked for replacement otherwise (terraform taint, or a create that failed), "
        'check them in AWS, then either untaint them (eval "$(python main.py env ...)", then '
        "terraform -chdir=cdktf.out/stacks/<stack> untaint ADDRESS) or lift prevent_destroy to "
        "replace them (help/troubleshooting.md)."
    )


def _failure_message(what: str, exit_code: int, output: str) -> str:
    special = (
        _lock_message(output)
        or _stale_plan_message(output)
        or _unreadable_state_message(output)
        or _dependency_message(output)
        or _credentials_message(output)
        or install_failure(output)
        or _unreachable_message(output)
        or _precondition_message(what, output)
        or _missing_service_message(what, output)
        or _protected_replacement_message(what, output)
    )
    if special:
        return special
    errors = [block.strip() for block in re.split(r"\n(?=╷|Error:)", output) if "Error:" in block]
    detail = "\n".join(errors[-5:]) if errors else output.strip()[-3000:]
    return f"{what} failed (exit {exit_code}).\n{detail}"
