"""Where Bedrock clients find AWS credentials, the region and Bedrock API keys, in which order."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import typedllm as tl
from typedllm import ConfigurationError
from typedllm.hosts._auth import HeaderAuth
from typedllm.hosts._aws import (
    AwsCredentialChain,
    aws_region,
    credentials_from_env,
    credentials_from_profile,
)
from typedllm.hosts._sigv4 import SigV4Auth
from typedllm.testing import FakeProvider

AWS_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_BEARER_TOKEN_BEDROCK",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
)


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS variable of the machine running the tests, and shared files that do not exist."""
    for name in AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none-config"))


def _files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, credentials: str, config: str) -> None:
    creds, conf = tmp_path / "credentials", tmp_path / "config"
    creds.write_text(credentials)
    conf.write_text(config)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(conf))


CREDENTIALS_FILE = """
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = default-secret

[work]
aws_access_key_id = AKIDWORK
aws_secret_access_key = work-secret
aws_session_token = work-token
"""

CONFIG_FILE = """
[default]
region = eu-central-1

[profile work]
region = ap-southeast-2

[profile onlyconfig]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = config-secret
region = us-west-2
"""


def test_environment_credentials_with_session_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-token")
    creds = credentials_from_env()
    assert creds is not None
    assert creds.access_key_id == "AKIDENV"
    assert creds.secret_access_key.get() == "env-secret"
    assert creds.session_token is not None and creds.session_token.get() == "env-token"
    assert creds.source == "environment"
    # Environment secrets pickle as the variables' names, never their values.
    assert b"env-secret" not in pickle.dumps(creds)


def test_incomplete_environment_credentials_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    with pytest.raises(ConfigurationError, match="AWS_SECRET_ACCESS_KEY"):
        credentials_from_env()


def test_profiles_from_the_shared_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path, monkeypatch, CREDENTIALS_FILE, CONFIG_FILE)
    default = credentials_from_profile()
    assert default is not None and default.access_key_id == "AKIDDEFAULT"
    work = credentials_from_profile("work")
    assert work is not None and work.access_key_id == "AKIDWORK"
    assert work.session_token is not None and work.session_token.get() == "work-token"
    # A profile only in the config file ([profile name] sections) is read there.
    only = credentials_from_profile("onlyconfig")
    assert only is not None and only.access_key_id == "AKIDCONFIG"
    assert "config file" in only.source
    assert credentials_from_profile("missing") is None
    monkeypatch.setenv("AWS_PROFILE", "work")
    chosen = credentials_from_profile()
    assert chosen is not None and chosen.access_key_id == "AKIDWORK"


def test_region_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path, monkeypatch, CREDENTIALS_FILE, CONFIG_FILE)
    assert aws_region() == "eu-central-1"
    assert aws_region(profile="work") == "ap-southeast-2"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    assert aws_region() == "us-east-2"
    monkeypatch.setenv("AWS_REGION", "sa-east-1")
    assert aws_region() == "sa-east-1"
    assert aws_region("il-central-1") == "il-central-1"


def test_environment_wins_over_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path, monkeypatch, CREDENTIALS_FILE, CONFIG_FILE)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    assert AwsCredentialChain(use_botocore=False)().access_key_id == "AKIDENV"
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert AwsCredentialChain(use_botocore=False)().access_key_id == "AKIDDEFAULT"


def test_no_credentials_names_every_place(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as info:
        AwsCredentialChain(use_botocore=False)()
    message = str(info.value)
    for place in ("AWS_ACCESS_KEY_ID", "AWS_BEARER_TOKEN_BEDROCK", "none-credentials", "bedrock]"):
        assert place in message
    with pytest.raises(ConfigurationError, match="no AWS credentials"):
        tl.anthropic().bedrock("us-east-1", use_botocore=False).model("claude-haiku-4-5").build()


def test_build_needs_a_region() -> None:
    builder = tl.anthropic().bedrock(use_botocore=False).aws_credentials("AKID", "secret")
    with pytest.raises(ConfigurationError, match="no AWS region"):
        builder.model("claude-haiku-4-5").build()


def _auth_of(client: tl.Client) -> object:
    return client.config.auth


def test_precedence_of_the_auth_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _files(tmp_path, monkeypatch, CREDENTIALS_FILE, CONFIG_FILE)
    base = tl.anthropic().bedrock("us-east-1", use_botocore=False).model("claude-haiku-4-5")
    # The shared files when nothing else is set: SigV4.
    assert isinstance(_auth_of(base.build()), SigV4Auth)
    # A Bedrock API key in the environment beats signing keys in the environment and files.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "bedrock-api-key-env")
    env_bearer = _auth_of(base.build())
    assert isinstance(env_bearer, HeaderAuth)
    assert env_bearer.key.get() == "bedrock-api-key-env"
    # Explicit credentials beat the environment's API key ...
    explicit = _auth_of(base.aws_credentials("AKIDCODE", "code-secret").build())
    assert isinstance(explicit, SigV4Auth)
    assert explicit.source().access_key_id == "AKIDCODE"
    # ... and an explicit API key beats everything but .auth().
    keyed = _auth_of(base.aws_credentials("AKIDCODE", "code-secret").api_key("code-key").build())
    assert isinstance(keyed, HeaderAuth) and keyed.key.get() == "code-key"


def test_bedrock_api_key_is_sent_as_bearer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "ABSKexample-api-key")
    fake = FakeProvider(["hello"])
    llm = tl.anthropic().bedrock("us-west-2").model("claude-haiku-4-5").transport(fake).build()
    assert llm.complete("hi") == "hello"
    # The fake records redacted headers; the request went to the region's endpoint.
    assert fake.requests[0].headers["authorization"] == "***"
    assert "x-amz-date" not in fake.requests[0].headers
    # An environment key pickles as the variable's name.
    assert b"ABSKexample-api-key" not in pickle.dumps(llm)


def test_profile_credentials_are_used_to_sign(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _files(tmp_path, monkeypatch, CREDENTIALS_FILE, CONFIG_FILE)
    fake = FakeProvider(["hello"])
    llm = (
        tl.anthropic()
        .bedrock(profile="work", use_botocore=False)
        .model("claude-haiku-4-5")
        .transport(fake)
        .build()
    )
    assert llm.complete("hi") == "hello"
    assert llm.config.host.base_url == "https://bedrock-runtime.ap-southeast-2.amazonaws.com"
    headers = fake.requests[0].headers
    assert headers["x-amz-security-token"] == "***"  # the profile's session token was sent
    # File credentials are read again by a receiving process: a pickle holds none of them.
    data = pickle.dumps(llm)
    assert b"work-secret" not in data and b"work-token" not in data


def test_botocore_chain_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("botocore", reason="pip install 'typedllm[bedrock]'")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDBOTO")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "boto-secret")
    from typedllm.hosts._aws import _from_botocore  # pyright: ignore[reportPrivateUsage]

    found = _from_botocore(None)
    assert found is not None and found.access_key_id == "AKIDBOTO"
