"""The embedded AWS: a moto server on 127.0.0.1, started and stopped by this project."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from modules.kernel.errors import CommandError
from modules.runner import emulator_server
from modules.stack.environment import PROJECT_ROOT

HOST = "127.0.0.1"  # never anything else: the emulator must not be reachable from outside
READY_TIMEOUT_SECONDS = 30
#: moto's default account, where local deployments go unless AGENTCORE_EMULATOR_ACCOUNT says
#: otherwise. The emulator serves a request signed with a twelve-digit access key id from the
#: account of that number (emulator_server), so the key id is the account and the secret is
#: moto's placeholder: never real credentials, and never sent anywhere but the emulator.
DEFAULT_ACCOUNT = "123456789012"
EMULATOR_SECRET = "testing"


@dataclass(frozen=True)
class Emulator:
    """A running moto server and the id of this particular run (resources live in its memory)."""

    url: str
    port: int
    pid: int
    instance_id: str
    started_at: float
    #: The account this process works in; not part of the server's record.
    account_id: str = DEFAULT_ACCOUNT

    def aws_env(self) -> dict[str, str]:
        """Environment for Terraform and boto3 that reaches this emulator and nothing else."""
        return {
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": self.account_id,
            "AWS_SECRET_ACCESS_KEY": EMULATOR_SECRET,
            "AWS_SESSION_TOKEN": "",
            "AWS_PROFILE": "",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
            # An API moto lacks would otherwise be retried for minutes.
            "AWS_MAX_ATTEMPTS": "3",
            "AWS_RETRY_MODE": "standard",
        }

    def client(self, service: str, region: str) -> Any:
        """A boto3 client for ``service`` in ``region`` of this emulator, in this account."""
        import boto3

        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id=self.account_id,
            aws_secret_access_key=EMULATOR_SECRET,
        )


def _record(directory: Path) -> Path:
    return directory / "server.json"


def _responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _alive(pid: int) -> bool:
    try:
        # Reap it first if it is our own child that has exited (a zombie still "exists").
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def running(directory: Path, account_id: str = DEFAULT_ACCOUNT) -> Emulator | None:
    """The emulator recorded in ``directory`` if it is still up and answering, seen from
    ``account_id``."""
    record = _record(directory)
    if not record.is_file():
        return None
    try:
        emulator = replace(Emulator(**json.loads(record.read_text())), account_id=account_id)
    except (ValueError, TypeError):
        return None
    if _alive(emulator.pid) and _responds(emulator.url):
        return emulator
    return None


def start(directory: Path, account_id: str = DEFAULT_ACCOUNT) -> Emulator:
    """Start a moto server in the background (it outlives this process) and record it."""
    directory.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (directory / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "modules.runner.emulator_server", "-H", HOST, "-p", str(port)],
        env={**os.environ, emulator_server.DIRECTORY: str(directory)},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # not killed with the terminal's process group
        cwd=PROJECT_ROOT,  # so that -m modules.runner.emulator_server resolves
    )
    emulator = Emulator(
        url=f"http://{HOST}:{port}",
        port=port,
        pid=process.pid,
        instance_id=uuid.uuid4().hex,
        started_at=time.time(),
        account_id=account_id,
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not _responds(emulator.url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise CommandError(
                f"The AWS emulator (moto) did not start on {emulator.url}; see "
                f"{directory / 'server.log'}. Is moto[server] installed (pip install -r "
                "requirements.txt)?"
            )
        time.sleep(0.1)
    server = {k: v for k, v in asdict(emulator).items() if k != "account_id"}
    _record(directory).write_text(json.dumps(server, indent=2))
    return emulator


def play_prefix_list_change(directory: Path, account_id: str, name: str, cidrs: list[str]) -> None:
    """Play AWS adding ``cidrs`` to its managed prefix list ``name`` (com.amazonaws.<region>.s3)
    in ``account_id`` of the emulator recorded in ``directory``, from its next read on."""
    path = directory / emulator_server.AWS_CHANGES
    changes = json.loads(path.read_text()) if path.is_file() else {}
    lists = changes.setdefault("prefix_lists", {}).setdefault(account_id, {})
    lists[name] = sorted(set(lists.get(name, [])) | set(cidrs))
    path.write_text(json.dumps(changes, indent=2))


def ensure(directory: Path, account_id: str = DEFAULT_ACCOUNT) -> tuple[Emulator, bool]:
    """The running emulator, started if needed; the flag says whether it was just started."""
    emulator = running(directory, account_id)
    return (emulator, False) if emulator else (start(directory, account_id), True)


def stop(directory: Path) -> Emulator | None:
    """Stop the recorded emulator; returns it, or None when none was running."""
    record = _record(directory)
    emulator = running(directory)
    if emulator is not None:
        os.killpg(emulator.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _alive(emulator.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(emulator.pid):
            os.killpg(emulator.pid, signal.SIGKILL)
    record.unlink(missing_ok=True)
    return emulator
