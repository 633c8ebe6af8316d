"""Finding AWS credentials and the region, the way the AWS SDKs and CLI do (stdlib only).

The order (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html):

1. credentials given in code (``.aws_credentials(...)``);
2. the environment: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` and ``AWS_SESSION_TOKEN``
   (both of the first two, or neither);
3. the profile (``AWS_PROFILE``, else ``default``) in the shared credentials file
   (``AWS_SHARED_CREDENTIALS_FILE``, else ``~/.aws/credentials``), then in the shared config
   file (``AWS_CONFIG_FILE``, else ``~/.aws/config``; its sections are ``[profile name]``,
   except ``[default]``): ``aws_access_key_id``, ``aws_secret_access_key`` and
   ``aws_session_token``;
4. botocore's credential chain when it is installed (``pip install 'typedllm[bedrock]'``):
   SSO, ``credential_process``, assumed roles, container and instance metadata credentials.

The region: the one given in code, else ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's
``region`` in the shared config file (https://docs.aws.amazon.com/sdkref/latest/guide/
feature-region.html).

Bedrock API keys are bearer tokens (``AWS_BEARER_TOKEN_BEDROCK``), not credentials to sign
with (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html).
"""

from __future__ import annotations

import configparser
import importlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import ConfigurationError
from .._wire import Secret
from ._sigv4 import AwsCredentials

__all__ = [
    "BEDROCK_BEARER_TOKEN_ENV",
    "AwsCredentialChain",
    "aws_region",
    "credentials_from_env",
    "credentials_from_profile",
]

BEDROCK_BEARER_TOKEN_ENV = "AWS_BEARER_TOKEN_BEDROCK"


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def credentials_from_env(environ: Mapping[str, str] | None = None) -> AwsCredentials | None:
    """Credentials from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``
    (their values stay in the environment: they pickle as the variables' names)."""
    env = os.environ if environ is None else environ
    key_id, secret = _env(env, "AWS_ACCESS_KEY_ID"), _env(env, "AWS_SECRET_ACCESS_KEY")
    if key_id is None and secret is None:
        return None
    if key_id is None or secret is None:
        missing = "AWS_SECRET_ACCESS_KEY" if secret is None else "AWS_ACCESS_KEY_ID"
        raise ConfigurationError(
            f"AWS credentials in the environment are incomplete: {missing} is not set"
        )
    token = _env(env, "AWS_SESSION_TOKEN")
    return AwsCredentials(
        key_id,
        Secret(secret, env="AWS_SECRET_ACCESS_KEY"),
        Secret(token, env="AWS_SESSION_TOKEN") if token else None,
        source="environment",
    )


def _profile_name(profile: str | None, env: Mapping[str, str]) -> str:
    return profile or _env(env, "AWS_PROFILE") or _env(env, "AWS_DEFAULT_PROFILE") or "default"


def _read(path: Path) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        return None
    except (OSError, configparser.Error) as exc:
        raise ConfigurationError(f"cannot read the AWS file {path}: {exc}") from None
    return parser


def _credentials_path(env: Mapping[str, str]) -> Path:
    return Path(_env(env, "AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials").expanduser()


def _config_path(env: Mapping[str, str]) -> Path:
    return Path(_env(env, "AWS_CONFIG_FILE") or "~/.aws/config").expanduser()


def _section(parser: configparser.ConfigParser, name: str) -> Mapping[str, str] | None:
    return parser[name] if parser.has_section(name) else None


def _config_section(env: Mapping[str, str], profile: str) -> Mapping[str, str] | None:
    parser = _read(_config_path(env))
    if parser is None:
        return None
    if profile == "default":
        return _section(parser, "default") or _section(parser, "profile default")
    return _section(parser, f"profile {profile}")


def _from_section(section: Mapping[str, str], source: str) -> AwsCredentials | None:
    key_id = section.get("aws_access_key_id", "").strip()
    secret = section.get("aws_secret_access_key", "").strip()
    if not key_id and not secret:
        return None
    if not key_id or not secret:
        missing = "aws_secret_access_key" if not secret else "aws_access_key_id"
        raise ConfigurationError(f"the AWS profile in the {source} has no {missing}")
    token = section.get("aws_session_token", "").strip()
    return AwsCredentials(key_id, Secret(secret), Secret(token) if token else None, source=source)


def credentials_from_profile(
    profile: str | None = None, environ: Mapping[str, str] | None = None
) -> AwsCredentials | None:
    """Static credentials of a profile in the shared credentials file, then the shared config
    file (``None`` when neither has keys for it)."""
    env = os.environ if environ is None else environ
    name = _profile_name(profile, env)
    creds_file = _read(_credentials_path(env))
    if creds_file is not None:
        section = _section(creds_file, name)
        if section is not None:
            found = _from_section(section, f"shared credentials file (profile {name!r})")
            if found is not None:
                return found
    section = _config_section(env, name)
    if section is not None:
        return _from_section(section, f"shared config file (profile {name!r})")
    return None


def aws_region(
    region: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The region: ``region``, else ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's
    ``region`` in the shared config file."""
    if region:
        return region
    env = os.environ if environ is None else environ
    found = _env(env, "AWS_REGION") or _env(env, "AWS_DEFAULT_REGION")
    if found:
        return found
    section = _config_section(env, _profile_name(profile, env))
    value = section.get("region", "").strip() if section is not None else ""
    return value or None


def _from_botocore(profile: str | None) -> AwsCredentials | None:
    """botocore's whole chain (SSO, roles, metadata services), when botocore is installed."""
    try:
        # Imported by name: an optional extra, without type information.
        sessions: Any = importlib.import_module("botocore.session")
    except ImportError:
        return None
    session: Any = sessions.Session(profile=profile)
    found: Any = session.get_credentials()
    if found is None:
        return None
    frozen: Any = found.get_frozen_credentials()
    expiry: Any = getattr(found, "_expiry_time", None)  # refreshable credentials only
    expires_at = expiry.timestamp() if expiry is not None else None
    token: str | None = frozen.token
    return AwsCredentials(
        str(frozen.access_key),
        Secret(str(frozen.secret_key)),
        Secret(token) if token else None,
        expires_at=expires_at,
        source="botocore",
    )


@dataclass(frozen=True, slots=True)
class AwsCredentialChain:
    """Finds credentials in the standard places (see the module docs); a callable for
    :class:`~typedllm.hosts.SigV4Auth`.

    Args:
        explicit: credentials given in code (used first).
        profile: the profile to read (default: ``AWS_PROFILE``, else ``default``).
        use_botocore: fall back to botocore's chain when it is installed.
    """

    explicit: AwsCredentials | None = None
    profile: str | None = None
    use_botocore: bool = True

    def __call__(self) -> AwsCredentials:
        """The first credentials found, or a :class:`ConfigurationError` naming every place
        that was looked at."""
        if self.explicit is not None:
            return self.explicit
        found = credentials_from_env() or credentials_from_profile(self.profile)
        if found is None and self.use_botocore:
            found = _from_botocore(self.profile)
        if found is None:
            name = _profile_name(self.profile, os.environ)
            raise ConfigurationError(
                "no AWS credentials: call .aws_credentials(...), set AWS_ACCESS_KEY_ID and "
                f"AWS_SECRET_ACCESS_KEY, add profile {name!r} to "
                f"{_credentials_path(os.environ)} or {_config_path(os.environ)}, set "
                f"{BEDROCK_BEARER_TOKEN_ENV} (a Bedrock API key), or install "
                "'typedllm[bedrock]' for SSO and instance credentials"
            )
        return found
