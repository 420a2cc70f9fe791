"""Tags a user adds to every resource: the rule both languages apply (no cdktf import).

AWS reserves ``aws:`` keys; ``Name`` is set per resource by the modules. The HCL twins' ``tags``
variables carry the same validation, word for word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from modules.kernel.errors import ConfigError

#: Letters, digits, spaces and _.:/=+-@, up to 128 (AWS's tag key rule).
TAG_KEY_PATTERN = r"^[\w .:/=+\-@]{1,128}$"
_TAG_KEY = re.compile(TAG_KEY_PATTERN)
MAX_TAG_VALUE = 256


def validate_tags(field_name: str, tags: Mapping[str, str]) -> dict[str, str]:
    """The tags, sorted by key (as Terraform iterates maps: both report the same first offender)."""
    checked = dict(sorted(tags.items()))
    for key, value in checked.items():
        if key == "Name" or key.lower().startswith("aws:") or not _TAG_KEY.match(key):
            raise ConfigError(
                f"{field_name}.{key}",
                "reserved or invalid tag key",
                key,
                "Use up to 128 letters, digits, spaces and _.:/=+-@; not 'Name' (set per resource) "
                "and not 'aws:...'.",
            )
        if len(value) > MAX_TAG_VALUE:
            raise ConfigError(
                f"{field_name}.{key}",
                f"tag values are at most {MAX_TAG_VALUE} characters",
                value,
                "Shorten the value.",
            )
    return checked


def with_name(tags: Mapping[str, str], name: str, **more: str) -> dict[str, str]:
    """A resource's tags: the user's, then its own Name (and any other tag it sets itself)."""
    return {**tags, "Name": name, **more}
