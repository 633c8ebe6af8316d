"""Accepted: Claude on Amazon Bedrock and Vertex AI (same builder, same gates, cloud model ids)."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl
from typedllm._wire import Secret
from typedllm.hosts import Token

a = tl.anthropic()
b = a.bedrock("us-east-1")
assert_type(b, tl.AnthropicBuilder[tl.NoModel, tl.Neutral])
assert_type(
    a.bedrock(profile="work", inference_profile="eu", use_botocore=False),
    tl.AnthropicBuilder[tl.NoModel, tl.Neutral],
)
assert_type(
    b.aws_credentials("AKID", "secret", "token"), tl.AnthropicBuilder[tl.NoModel, tl.Neutral]
)

# Catalog names, Bedrock ids (with and without an inference profile) and Vertex names
assert_type(b.model("claude-sonnet-4-5"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral])
assert_type(
    b.model("anthropic.claude-sonnet-4-5-20250929-v1:0"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)
assert_type(
    b.model("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)
assert_type(
    b.model("global.anthropic.claude-opus-4-5-20251101-v1:0"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)
assert_type(
    b.model("anthropic.claude-3-5-haiku-20241022-v1:0"),
    tl.AnthropicBuilder[tl.StandardModel, tl.Neutral],
)
assert_type(
    b.model("us.anthropic.claude-sonnet-4-6", like="claude-sonnet-4-5"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral],
)

# Thinking and sampling gates hold for cloud ids
assert_type(
    b.model("eu.anthropic.claude-sonnet-4-20250514-v1:0").thinking(budget_tokens=2048),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn],
)
assert_type(
    b.model("anthropic.claude-3-haiku-20240307-v1:0").temperature(0.2),
    tl.AnthropicBuilder[tl.StandardModel, tl.TemperatureSet],
)
assert_type(b.model("claude-haiku-4-5").build(), tl.Client)


def token() -> str:
    return "ya29.token"


async def async_token() -> Token:
    return Token(Secret("ya29.token"), expires_at=1e10)


v = a.vertex("my-project", location="global", token_provider=token)
assert_type(v, tl.AnthropicBuilder[tl.NoModel, tl.Neutral])
assert_type(a.vertex(token_provider=async_token), tl.AnthropicBuilder[tl.NoModel, tl.Neutral])
assert_type(
    v.model("claude-sonnet-4-5@20250929"), tl.AnthropicBuilder[tl.ThinkingModel, tl.Neutral]
)
assert_type(v.model("claude-3-haiku@20240307"), tl.AnthropicBuilder[tl.StandardModel, tl.Neutral])
assert_type(
    v.model("claude-opus-4-1@20250805").thinking(budget_tokens=4096).max_tokens(8192).build(),
    tl.Client,
)
# .bedrock()/.vertex() keep the state they are called in
assert_type(
    a.model("claude-sonnet-4-5").thinking(budget_tokens=2048).bedrock("us-west-2"),
    tl.AnthropicBuilder[tl.ThinkingModel, tl.ThinkingOn],
)
