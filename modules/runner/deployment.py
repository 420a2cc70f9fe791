"""One environment on one target (real AWS or the local emulator), ready for Terraform."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from modules.console.progress import Steps
from modules.kernel.engine import selected_engine
from modules.kernel.errors import CommandError
from modules.runner import emulator as emulators
from modules.runner.aws_errors import NO_CREDENTIALS
from modules.runner.emulator import DEFAULT_ACCOUNT, Emulator
from modules.runner.provider_mirror import (
    AWS_PROVIDER_VERSION,
    find_provider_mirror,
    locked_version,
)
from modules.runner.synth import synthesize
from modules.runner.terraform import Terraform, check_version, terraform_binary
from modules.runner.workspace import EMULATOR_ACCOUNT, Target, Workspace
from modules.stack.environment import Environment, display_path, load_environment

EMULATOR_MARKER = "emulator-instance"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


@dataclass
class Deployment:
    """Everything a deploy, plan or destroy needs, initialised and checked."""

    env: Environment
    target: Target
    workspace: Workspace
    terraform: Terraform
    emulator: Emulator | None

    @property
    def target_dir(self) -> Path:
        return self.workspace.target_dir(self.env, self.target)

    @property
    def stack_file(self) -> Path:
        """The synthesized stack this deployment plans and applies (cdk.tf.json)."""
        return self.workspace.stack_file(self.env)

    @property
    def where(self) -> str:
        if self.emulator is not None:
            return f"the local emulator at {self.emulator.url}"
        return f"AWS ({self.env.region})"

    @property
    def deploy_command(self) -> str:
        """The command that deploys (or heals) this environment on this target."""
        return f"python main.py deploy --env {self.env.env}" + (" --local" if self.emulator else "")

    def outputs(self) -> dict[str, object]:
        """The stack's outputs as the state records them: read from the state file when it is
        local (no Terraform process: deploy reads them while its re-plan runs), else with
        `terraform output -json`."""
        if self.env.state_backend.type != "local":
            return self.terraform.output_json()
        try:
            state = json.loads(self.workspace.state_file(self.env, self.target).read_text())
        except (OSError, ValueError):  # none yet, or Terraform will say what is wrong with it
            return self.terraform.output_json()
        return {name: output["value"] for name, output in state.get("outputs", {}).items()}

    def deployed_outputs(self) -> dict[str, object]:
        """The stack's outputs; a CommandError when nothing is deployed there."""
        outputs = self.terraform.output_json()
        if not outputs:
            raise CommandError(
                f"Nothing is deployed for {self.env.stack_name} in {self.where}: deploy it "
                f"first ({self.deploy_command})."
            )
        return outputs

    def aws_client(self, service: str) -> Any:
        """A boto3 client for the same AWS Terraform talks to."""
        import boto3

        if self.emulator is None:
            return boto3.client(service, region_name=self.env.region)
        return self.emulator.client(service, self.env.region)

    def record_emulator(self) -> None:
        """Remember which emulator run, and which account of it, holds this state (resources
        live only in its memory): ``<instance id> <account>``."""
        if self.emulator is not None:
            (self.target_dir / EMULATOR_MARKER).write_text(
                f"{self.emulator.instance_id} {self.emulator.account_id}"
            )


def managed_resource_count(state_file: Path) -> int:
    """Managed resource instances recorded in a local state file (0 when there is none)."""
    if not state_file.is_file() or state_file.stat().st_size == 0:
        return 0
    try:
        state = json.loads(state_file.read_text())
    except ValueError:
        backup = state_file.with_name(state_file.name + ".backup")
        raise CommandError(
            f"The state file {state_file} is not valid JSON (truncated or edited?). Nothing was "
            f"changed. Terraform keeps the previous state in {backup}: inspect both, then copy "
            "the good one over the broken one."
        ) from None
    return sum(
        len(r.get("instances", []))
        for r in state.get("resources", [])
        if r.get("mode") == "managed"
    )


def _stale_state_error(env: Environment, state_file: Path, count: int) -> CommandError:
    return CommandError(
        f"The local state of {env.env} ({display_path(state_file)}) lists {count} resources that "
        "were created in an emulator that is no longer running. The emulator keeps everything in "
        "memory, so those resources are gone. Run `python main.py local down` to archive that "
        "state, then run this command again."
    )


def _emulator_for(
    env: Environment, workspace: Workspace, *, start: bool, steps: Steps
) -> Emulator | None:
    state_file = workspace.state_file(env, "emulator")
    count = managed_resource_count(state_file)
    emulator = emulators.running(workspace.emulator_dir, workspace.emulator_account)
    if count:
        marker = workspace.target_dir(env, "emulator") / EMULATOR_MARKER
        recorded = marker.read_text().split() if marker.is_file() else []
        if emulator is None or recorded[:1] != [emulator.instance_id]:
            raise _stale_state_error(env, state_file, count)
        account = recorded[1] if len(recorded) > 1 else DEFAULT_ACCOUNT  # 0.7.0 wrote no account
        if account != workspace.emulator_account:
            raise CommandError(
                f"The local state of {env.env} ({display_path(state_file)}) lists {count} "
                f"resources in the emulator's account {account}, and this command works in "
                f"account {workspace.emulator_account} ({EMULATOR_ACCOUNT}). "
                + (
                    f"Unset {EMULATOR_ACCOUNT} (the default account)"
                    if account == DEFAULT_ACCOUNT
                    else f"Set {EMULATOR_ACCOUNT}={account}"
                )
                + ", or give the other account a state directory of its own "
                "(AGENTCORE_STATE_DIR)."
            )
    if emulator is None and start:
        emulator = emulators.start(workspace.emulator_dir, workspace.emulator_account)
        steps.note(
            f"started the AWS emulator at {emulator.url} (stop it: python main.py local down)"
        )
    if emulator is None:
        raise CommandError(
            "The AWS emulator is not running. Start it with `python main.py local up`."
        )
    return emulator


def check_real_aws_environment() -> None:
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if endpoint and urlparse(endpoint).hostname in LOCAL_HOSTS:
        raise CommandError(
            f"AWS_ENDPOINT_URL={endpoint} points at this machine, but --local was not given: the "
            "resources would land in an emulator while the state is kept as real-AWS state. "
            "Add --local, or unset AWS_ENDPOINT_URL."
        )
    _require_credentials()


def _require_credentials() -> None:
    """No credentials at all is known without a call to AWS: say so before synth and init
    (credentials AWS rejects are reported by the first call that uses them)."""
    import boto3

    if boto3.Session().get_credentials() is None:
        raise CommandError(NO_CREDENTIALS)


def open_deployment(
    env_name: str, *, local: bool, steps: Steps, quiet: bool = False, use_cache: bool = True
) -> Deployment:
    """Validate, synthesize and ``terraform init`` one environment for one target.

    ``quiet``: progress goes to stderr (for commands whose stdout is machine-readable).
    """
    if quiet:
        steps.quiet()
    env = load_environment(env_name)  # ConfigError before anything is written
    workspace = Workspace.from_environment()
    with steps.step(f"Checking Terraform and {'the emulator' if local else 'the environment'}"):
        check_version(terraform_binary())
        if local:
            emulator: Emulator | None = _emulator_for(env, workspace, start=True, steps=steps)
        else:
            check_real_aws_environment()
            emulator = None
    with steps.step(f"Synthesizing {env.stack_name}"):
        if synthesize([env], workspace, use_cache=use_cache).cached:
            steps.note("inputs unchanged: taken from the synth cache")
    with steps.step(
        "Initialising Terraform"
        + (" (provider from local mirror)" if find_provider_mirror() else "")
    ):
        return prepare_deployment(env, workspace, emulator)


def prepare_deployment(
    env: Environment, workspace: Workspace, emulator: Emulator | None
) -> Deployment:
    """``terraform init`` of an environment already synthesized: its own data directory and
    state (the fleet prepares many side by side, after synthesizing them together)."""
    target: Target = "emulator" if emulator is not None else "aws"
    target_dir = workspace.target_dir(env, target)
    target_dir.mkdir(parents=True, exist_ok=True)
    terraform = Terraform(
        workspace.stack_dir(env),
        data_dir=target_dir / ".terraform",
        extra_env=emulator.aws_env() if emulator else {},
        cli_config_dir=workspace.state_root,
    )
    deployment = Deployment(
        env=env, target=target, workspace=workspace, terraform=terraform, emulator=emulator
    )
    init = ["init", "-input=false", "-no-color", "-reconfigure", *backend_overrides(deployment)]
    locked = locked_version(workspace.stack_dir(env))
    if locked is not None and locked != AWS_PROVIDER_VERSION:
        # The engine changed (cdktf binds aws 5.100, cdktn 6.x): take the version it writes.
        print(
            f"note: {env.stack_name}: the lock file holds hashicorp/aws {locked}; the "
            f"{selected_engine().name} bindings require {AWS_PROVIDER_VERSION}: terraform init "
            f"-upgrade.",
            file=sys.stderr,
        )
        init.append("-upgrade")
    data = target_dir / ".terraform"  # the backend init configured, the providers it installed
    marker = data / INIT_MARKER
    fingerprint = init_fingerprint(terraform, init)
    initialised = (data / "terraform.tfstate").is_file() and (data / "providers").is_dir()
    if "-upgrade" not in init and initialised and _read(marker) == fingerprint:
        return deployment  # initialised with these very inputs: init would change nothing
    marker.unlink(missing_ok=True)
    terraform.run(init, show="none", what="terraform init")
    marker.write_text(init_fingerprint(terraform, init))  # init may have written the lock file
    return deployment


#: Beside Terraform's own files in the data directory: what the last init was made from.
INIT_MARKER = "agentcore-init.sha256"
#: The environment variables init can depend on (Terraform's, the AWS SDK's for an S3 backend,
#: proxies, where plugins are looked for); the others (a shell's, pytest's) leave it as it is.
INIT_READS = (
    "TF_",
    "AWS_",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "HOME",
    "XDG_",
)


def init_fingerprint(terraform: Terraform, init: list[str]) -> str:
    """Everything `terraform init` reads, hashed: its arguments, the Terraform binary, the
    CLI configuration (the provider mirror), the environment it runs with, the stack's
    `terraform` block (backend, required providers) and modules, and the lock file. The same
    fingerprint as the last successful init means init would install and configure nothing:
    it is skipped (1-2 s, most of it loading the provider's schema). Any change runs it."""
    stack = json.loads((terraform.workdir / "cdk.tf.json").read_text())
    binary = Path(terraform.binary)
    config = Path(terraform.env.get("TF_CLI_CONFIG_FILE", ""))
    lock = terraform.workdir / ".terraform.lock.hcl"
    digest = hashlib.sha256()
    for part in (
        init,
        [str(binary), binary.stat().st_size, binary.stat().st_mtime_ns],
        config.read_text() if config.is_file() else None,
        sorted((k, v) for k, v in terraform.env.items() if k.startswith(INIT_READS)),
        {key: stack.get(key) for key in ("terraform", "module")},
        lock.read_text() if lock.is_file() else None,
    ):
        digest.update(json.dumps(part, sort_keys=True, default=str).encode() + b"\n")
    return digest.hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def open_emulator(workspace: Workspace, envs: list[Environment], steps: Steps) -> Emulator:
    """The emulator for ``--local`` work on these environments: started when none runs;
    refused when one's state belongs to an emulator that has gone."""
    emulator = None
    for env in envs:
        emulator = _emulator_for(env, workspace, start=True, steps=steps)
    assert emulator is not None
    return emulator


def backend_overrides(deployment: Deployment) -> list[str]:
    """``-backend-config`` arguments: the configuration stays the same for every target; only
    where the state lives changes, so real-AWS and emulator state never mix."""
    env, workspace, emulator = deployment.env, deployment.workspace, deployment.emulator
    if env.state_backend.type == "local":
        state_file = workspace.state_file(env, deployment.target)
        managed_resource_count(state_file)  # a broken state file stops us here, untouched
        return [f"-backend-config=path={state_file}"] if emulator else []
    if emulator is None:
        return []
    # The emulator's own S3 holds this state: create the bucket there, point the backend at it.
    s3 = deployment.aws_client("s3")
    bucket = str(env.state_backend.bucket)
    if bucket not in {b["Name"] for b in s3.list_buckets().get("Buckets", [])}:
        location = (
            {}
            if env.region == "us-east-1"
            else {"CreateBucketConfiguration": {"LocationConstraint": env.region}}
        )
        s3.create_bucket(Bucket=bucket, **location)
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    backend_file = deployment.target_dir / "emulator.s3.tfbackend"
    backend_file.write_text(
        f'endpoints = {{ s3 = "{emulator.url}" }}\n'
        "use_path_style              = true\n"
        "skip_credentials_validation = true\n"
        "skip_requesting_account_id  = true\n"
        "skip_metadata_api_check     = true\n"
    )
    return [f"-backend-config={backend_file}"]


def archive_emulator_states(workspace: Workspace) -> list[tuple[str, int, Path]]:
    """Move every emulator state aside (its resources died with the emulator).

    Returns (environment, resource count, archive path) for each state that held resources.
    """
    archived: list[tuple[str, int, Path]] = []
    stamp = time.strftime("%Y%m%d-%H%M%S")
    root = workspace.state_root / "emulator"
    if not root.is_dir():
        return archived
    for target_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        state_file = target_dir / "terraform.tfstate"
        count = managed_resource_count(state_file) if state_file.is_file() else 0
        if state_file.is_file():
            destination = workspace.archive_dir / "emulator" / stamp / target_dir.name
            destination.mkdir(parents=True, exist_ok=True)
            for path in target_dir.glob("terraform.tfstate*"):
                shutil.move(str(path), destination / path.name)
            if count:
                archived.append((target_dir.name, count, destination))
        (target_dir / EMULATOR_MARKER).unlink(missing_ok=True)
    return archived
