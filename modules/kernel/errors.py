"""The two error types: mistakes in configuration, and failures while running a command."""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the field, the value and the fix.

    Form: ``<field>: <problem>; got <value>. <fix>`` — the environment loader prefixes the file;
    the value is written as Python writes it but for null, true and false, as the file does.
    """

    def __init__(self, field: str, problem: str, value: object, fix: str) -> None:
        self.field = field
        self.problem = problem
        self.value = value
        self.fix = fix
        super().__init__(f"{field}: {problem}; got {shown(value)}. {fix}")


class ConfigErrors(ConfigError):
    """Several configuration values are wrong: every one, each a ConfigError of its own (the
    first gives field, problem, value and fix to code that reads only one)."""

    def __init__(self, errors: list[ConfigError]) -> None:
        first = errors[0]
        super().__init__(first.field, first.problem, first.value, first.fix)
        self.errors = errors
        self.args = ("\n".join(str(error) for error in errors),)

    def __str__(self) -> str:
        return str(self.args[0])


def raise_all(errors: list[ConfigError]) -> None:
    """Raise the one error, or all of them; nothing when there are none."""
    every = [e for error in errors for e in getattr(error, "errors", [error])]
    errors = list({str(e): e for e in every}.values())  # a value two parts check, said once
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigErrors(errors)


def shown(value: object) -> str:
    """A value in a message: ``repr`` (strings quoted 'so'), except null, true and false,
    which users write in tfvars and JSON, within lists and maps too."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if isinstance(value, tuple):
        return (
            "(" + ", ".join(shown(item) for item in value) + ("," if len(value) == 1 else "") + ")"
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{shown(k)}: {shown(v)}" for k, v in value.items()) + "}"
    return repr(value)


class CommandError(RuntimeError):
    """A command could not finish (Terraform failed, the emulator is gone, ...).

    The message is one or more complete sentences that say what to do next.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        self.exit_code = exit_code
        super().__init__(message)
