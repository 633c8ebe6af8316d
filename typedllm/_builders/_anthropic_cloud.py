"""Claude on Amazon Bedrock and on Vertex AI: the host, auth step and options a builder's
settings make (the builder methods are on :class:`~typedllm._builders.anthropic.AnthropicBuilder`).

Both clouds take the Messages body with ``anthropic_version`` in it and the model in the path:

* Bedrock: ``https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/invoke`` and
  ``.../invoke-with-response-stream`` (the id percent-encoded, ``:`` as ``%3A``), signed with
  SigV4 (service ``bedrock``) or sent with a Bedrock API key as a bearer token
  (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html);
* Vertex AI: ``https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/
  {location}/publishers/anthropic/models/{model}:rawPredict`` and ``:streamRawPredict``
  (``aiplatform.googleapis.com`` for the ``global`` location), with an OAuth access token
  (https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude):
  from a token provider, a fixed token, or Application Default Credentials through
  ``google-auth`` (``pip install 'typedllm[google]'``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote

from .._catalog import ModelInfo
from .._catalog._cloud_models import (
    bedrock_id_for,
    cloud_platform_of,
    vertex_id_for,
)
from .._errors import ConfigurationError
from .._wire import Secret
from ..hosts import Auth, Host, TokenAuth, bearer
from ..hosts._auth import TokenSource
from ..hosts._aws import BEDROCK_BEARER_TOKEN_ENV, AwsCredentialChain, aws_region
from ..hosts._sigv4 import AwsCredentials, SigV4Auth
from ..hosts._vertex import vertex_adc_auth

__all__ = [
    "BEDROCK_VERSION",
    "VERTEX_VERSION",
    "CloudSettings",
    "bedrock_parts",
    "vertex_parts",
]

BEDROCK_VERSION = "bedrock-2023-05-31"
VERTEX_VERSION = "vertex-2023-10-16"
Platform = Literal["anthropic", "bedrock", "vertex"]


@dataclass(frozen=True, slots=True)
class CloudSettings:
    """Where a cloud hosts the model, as the builder collected it."""

    platform: Platform = "anthropic"
    region: str | None = None
    profile: str | None = None
    inference_profile: str | None = None
    credentials: AwsCredentials | None = None
    use_botocore: bool = True
    project: str | None = None
    location: str | None = None
    token_provider: TokenSource | None = None


@dataclass(frozen=True, slots=True)
class CloudParts:
    """What ``build()`` needs from a cloud: the model id, the host and the auth step."""

    model: str
    info: ModelInfo
    host: Host
    auth: Auth


def check_platform(name: str, platform: Platform) -> None:
    """A Bedrock id or Vertex name cannot go to another platform (it would be a 404 there)."""
    written_for = cloud_platform_of(name)
    if written_for is None or written_for == platform:
        return
    fix = {"bedrock": ".bedrock(region=...)", "vertex": ".vertex(project=...)"}[written_for]
    where = {"anthropic": "the Anthropic API", "bedrock": "Bedrock", "vertex": "Vertex AI"}
    kind = "Bedrock model id" if written_for == "bedrock" else "Vertex AI model name"
    raise ConfigurationError(
        f"{name!r} is a {kind}, not a model of {where[platform]}: call {fix} or use a catalog name"
    )


def _bedrock_model(name: str, cloud: CloudSettings) -> str:
    geo = cloud.inference_profile
    if cloud_platform_of(name) == "bedrock":
        if geo and name.startswith("anthropic."):
            return f"{geo}.{name}"
        return name
    model_id = bedrock_id_for(name, geo)
    if model_id is None:
        raise ConfigurationError(
            f"no Bedrock model id is known for {name!r}: give the id, e.g. "
            f".model('anthropic.claude-...-v1:0', like={name!r})"
        )
    return model_id


def bedrock_parts(
    name: str,
    info: ModelInfo,
    cloud: CloudSettings,
    *,
    auth_step: Auth | None,
    api_key: Secret | None,
    base_url: str | None,
    headers: tuple[tuple[str, str | Secret], ...],
) -> CloudParts:
    """The Bedrock model id, host and auth step (see ``docs/bedrock.md`` for the order in
    which credentials are looked for)."""
    model_id = _bedrock_model(name, cloud)
    region = aws_region(cloud.region, cloud.profile)
    if region is None:
        raise ConfigurationError(
            "no AWS region: call .bedrock(region='us-east-1'), or set AWS_REGION (or "
            "AWS_DEFAULT_REGION, or region= in the profile of ~/.aws/config)"
        )
    auth: Auth
    if auth_step is not None:
        auth = auth_step
    elif api_key is not None:
        auth = bearer(api_key)
    elif cloud.credentials is not None:
        auth = SigV4Auth(AwsCredentialChain(cloud.credentials), region)
    elif os.environ.get(BEDROCK_BEARER_TOKEN_ENV):
        auth = bearer(Secret.from_env(BEDROCK_BEARER_TOKEN_ENV))
    else:
        chain = AwsCredentialChain(profile=cloud.profile, use_botocore=cloud.use_botocore)
        chain()  # fail at build() when there are none, naming every place looked at
        auth = SigV4Auth(chain, region)
    # The id is one path segment: ':' (and '/' of ARNs) percent-encoded, as AWS's SDKs send
    # it; SigV4 signs this path encoded once more (see hosts/_sigv4.py).
    segment = quote(model_id, safe="")
    host = Host(
        "bedrock",
        base_url or f"https://bedrock-runtime.{region}.amazonaws.com",
        headers=headers,
        paths=(
            ("chat", f"/model/{segment}/invoke"),
            ("chat_stream", f"/model/{segment}/invoke-with-response-stream"),
        ),
    )
    return CloudParts(model_id, replace(info, name=model_id), host, auth)


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def vertex_parts(
    name: str,
    info: ModelInfo,
    cloud: CloudSettings,
    *,
    auth_step: Auth | None,
    api_key: Secret | None,
    base_url: str | None,
    headers: tuple[tuple[str, str | Secret], ...],
) -> CloudParts:
    """The Vertex AI model name, host and auth step."""
    model = name if cloud_platform_of(name) == "vertex" else vertex_id_for(name)
    if model is None:
        raise ConfigurationError(
            f"no Vertex AI model name is known for {name!r}: give the name, e.g. "
            f".model('claude-...@20250929', like={name!r})"
        )
    project = cloud.project or _env("ANTHROPIC_VERTEX_PROJECT_ID", "GOOGLE_CLOUD_PROJECT")
    if project is None:
        raise ConfigurationError(
            "no Google Cloud project: call .vertex(project='my-project'), or set "
            "ANTHROPIC_VERTEX_PROJECT_ID or GOOGLE_CLOUD_PROJECT"
        )
    location = cloud.location or _env("CLOUD_ML_REGION", "GOOGLE_CLOUD_LOCATION") or "global"
    auth: Auth
    if auth_step is not None:
        auth = auth_step
    elif cloud.token_provider is not None:
        auth = TokenAuth(cloud.token_provider)
    elif api_key is not None:
        auth = bearer(api_key)  # an access token given as it is (it expires within the hour)
    else:
        # As for Gemini on Vertex AI: Application Default Credentials through google-auth
        # when it is installed, else an error naming every way to give a token.
        auth = vertex_adc_auth(
            "Claude on Vertex AI", token_provider_hint=".vertex(token_provider=<callable>)"
        )
    host_name = (
        "aiplatform.googleapis.com"
        if location == "global"
        else f"{location}-aiplatform.googleapis.com"
    )
    prefix = (
        f"/v1/projects/{quote(project, safe='')}/locations/{quote(location, safe='')}"
        f"/publishers/anthropic/models/{quote(model, safe='@')}"
    )
    host = Host(
        "vertex",
        base_url or f"https://{host_name}",
        headers=headers,
        paths=(("chat", f"{prefix}:rawPredict"), ("chat_stream", f"{prefix}:streamRawPredict")),
    )
    # Native structured outputs (output_config) are not documented for Claude on Vertex AI:
    # schemas take the forced-tool route there.
    vertex_info = replace(info, name=model, structured_output="tool")
    return CloudParts(model, vertex_info, host, auth)
