"""Where Terraform keeps an environment's state: local (default) or S3 with native locking."""

from __future__ import annotations

from dataclasses import dataclass

from modules.facts.aws_constraints import validate_region
from modules.kernel.bucket_names import BUCKET_NAME_RULE, is_bucket_name
from modules.kernel.errors import ConfigError

BACKEND_TYPES = ("local", "s3")


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
                "state_backend.type",
                "not a supported state backend",
                self.type,
                'Use "local" or "s3".',
            )
        if self.type == "local":
            for field in ("bucket", "key", "region"):
                if getattr(self, field) is not None:
                    raise ConfigError(
                        f"state_backend.{field}",
                        "only the s3 backend takes it",
                        getattr(self, field),
                        'Remove it, or set type = "s3".',
                    )
            return
        if not self.bucket:
            raise ConfigError(
                "state_backend.bucket",
                "the s3 backend needs a bucket",
                self.bucket or "",
                'Add bucket = "<your state bucket>".',
            )
        if not is_bucket_name(self.bucket):
            raise ConfigError(
                "state_backend.bucket", "not an S3 bucket name", self.bucket, BUCKET_NAME_RULE
            )
        if self.key is not None and (
            not self.key or self.key.startswith("/") or self.key.endswith("/")
        ):
            raise ConfigError(
                "state_backend.key",
                "not an object key",
                self.key,
                "Use a path without leading or trailing '/', e.g. "
                "'agentcore-network/prod/terraform.tfstate'.",
            )
        if self.region is not None:
            validate_region("state_backend.region", self.region)

    def s3_key(self, name: str) -> str:
        return self.key or f"agentcore-network/{name}/terraform.tfstate"
