"""S3 bucket names, as S3 accepts them (S3 user guide, "General purpose bucket naming rules")."""

from __future__ import annotations

import re

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
#: The fix sentence of every "not an S3 bucket name" error, Python and HCL alike.
BUCKET_NAME_RULE = (
    "Use 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit."
)


def is_bucket_name(name: str) -> bool:
    return bool(_BUCKET.match(name)) and ".." not in name
