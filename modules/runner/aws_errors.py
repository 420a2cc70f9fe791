"""boto3/botocore failures, turned into one clear CommandError each."""

from __future__ import annotations

from modules.kernel.errors import CommandError

CREDENTIAL_CODES = {
    "AuthFailure",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "ExpiredToken",
    "ExpiredTokenException",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
}


NO_CREDENTIALS = (
    "No AWS credentials found. Sign in (aws sso login) or set AWS_PROFILE, then run the command "
    "again; --local needs none."
)


def rejected_credentials(detail: str) -> str:
    """The message for credentials AWS refused, from boto3 or from Terraform."""
    return (
        f"AWS rejected the credentials ({detail}). Nothing was changed. Sign in again (aws sso "
        "login, or set AWS_PROFILE / the AWS_* variables for the target account) and run the "
        "command again."
    )


def command_error(error: Exception) -> CommandError | None:
    """The CommandError for a botocore exception, or None when it is not one."""
    try:
        from botocore import exceptions
    except ImportError:  # pragma: no cover - boto3 is a pinned requirement
        return None
    if isinstance(error, exceptions.ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        operation = getattr(error, "operation_name", "a call")
        if code in CREDENTIAL_CODES:
            return CommandError(rejected_credentials(f"{code} on {operation}"))
        message = error.response.get("Error", {}).get("Message", str(error))
        return CommandError(f"AWS refused {operation} ({code}: {message}).")
    if isinstance(error, exceptions.NoCredentialsError):
        return CommandError(NO_CREDENTIALS)
    if isinstance(
        error,
        (
            exceptions.EndpointConnectionError,
            exceptions.ConnectionClosedError,
            exceptions.ConnectTimeoutError,
            exceptions.ReadTimeoutError,
        ),
    ):
        return CommandError(
            f"Could not reach AWS ({error}). Nothing was changed. Run the command again when the "
            "network is back; with --local, check the emulator: python main.py local status."
        )
    return None
