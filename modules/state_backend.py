"""Where Terraform keeps an environment's state: local (default) or S3 with native locking."""
from __future__ import annotations

import re
from dataclasses import dataclass

from modules.errors import ConfigError
from modules.region import validate_region

BACKEND_TYPES = ("local", "s3")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class StateBackendConfig:
    """``state_backend`` of an environment file.

    local: ``.state/aws/<env>/terraform.tfstate`` (outside cdktf.out, ignored by git).
    s3: ``s3://<bucket>/<key>`` in ``region``, encrypted, locked with a lock file
    (``use_lockfile``, Terraform >= 1.10; no DynamoDB table).
    """

    #: "local" or "s3". Default: "local".
    type: str = "local"
    #: S3 bucket of the state (s3 only; versioning on, so earlier states can be restored).
    bucket: str | None = None
    #: Object key. Default: ``agentcore-network/<name>/terraform.tfstate``.
    key: str | None = None
    #: Region of the bucket. Default: the environment's region.
    region: str | None = None

    def __post_init__(self) -> None:
        if self.type not in BACKEND_TYPES:
            raise ConfigError(
                "state_backend.type", "not a supported state backend", self.type,
                'Use "local" or "s3".',
            )
        if self.type == "local":
            for field in ("bucket", "key", "region"):
                if getattr(self, field) is not None:
                    raise ConfigError(
                        f"state_backend.{field}", "only the s3 backend takes it",
                        getattr(self, field), 'Remove it, or set type = "s3".',
                    )
            return
        if not self.bucket:
            raise ConfigError(
                "state_backend.bucket", "the s3 backend needs a bucket", self.bucket or "",
                'Add bucket = "<your state bucket>".',
            )
        if not _BUCKET.match(self.bucket) or ".." in self.bucket:
            raise ConfigError(
                "state_backend.bucket", "not an S3 bucket name", self.bucket,
                "Use 3-63 lower-case letters, digits, '.' and '-', starting and ending with a "
                "letter or digit.",
            )
        if self.key is not None and (not self.key or self.key.startswith("/") or self.key.endswith("/")):
            raise ConfigError(
                "state_backend.key", "not an object key", self.key,
                "Use a path without leading or trailing '/', e.g. 'agentcore-network/prod/terraform.tfstate'.",
            )
        if self.region is not None:
            validate_region("state_backend.region", self.region)

    def s3_key(self, name: str) -> str:
        return self.key or f"agentcore-network/{name}/terraform.tfstate"
