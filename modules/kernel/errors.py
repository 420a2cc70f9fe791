"""The two error types: mistakes in configuration, and failures while running a command."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the field, the value and the fix.

    Form: ``<field>: <problem>; got <value!r>. <fix>`` — the environment loader prefixes the file.
    """

    def __init__(self, field: str, problem: str, value: object, fix: str) -> None:
        self.field = field
        self.problem = problem
        self.value = value
        self.fix = fix
        super().__init__(f"{field}: {problem}; got {value!r}. {fix}")


class CommandError(RuntimeError):
    """A command could not finish (Terraform failed, the emulator is gone, ...).

    The message is one or more complete sentences that say what to do next.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        self.exit_code = exit_code
        super().__init__(message)
