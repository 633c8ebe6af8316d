"""Accepted: Azure OpenAI builder states, and Vertex AI auth (type-checked only, never executed)."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

# -- the start state, then the catalog's OpenAI names pick the family --

start = tl.azure_openai()
assert_type(start, tl.AzureOpenAIBuilder[tl.NoModel])
assert_type(start.model("gpt-4o"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(start.model("gpt-4.1-mini"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(start.model("o3"), tl.AzureOpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(start.model("gpt-5"), tl.AzureOpenAIBuilder[tl.ReasoningMinimalLowMediumHigh])
assert_type(start.model("my-ft", like="gpt-4o-mini"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(start.model("my-o3", like="o3"), tl.AzureOpenAIBuilder[tl.ReasoningLowMediumHigh])

# -- Azure's own options keep the state --

chat = start.model("gpt-4o-mini")
assert_type(chat.deployment("prod-4o-mini"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.endpoint("https://r.openai.azure.com"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.api_version("2024-10-21"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.v1(), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.api_key("k"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.temperature(0).top_p(0.5), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(start.deployment("d").model("gpt-4o"), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(start.v1(), tl.AzureOpenAIBuilder[tl.NoModel])


def entra_token() -> str:
    return "eyJ..."


async def async_entra_token() -> tl.hosts.Token:
    return tl.hosts.Token(tl.hosts.Secret("t"), expires_at=1e9)


assert_type(chat.azure_ad_token_provider(entra_token), tl.AzureOpenAIBuilder[tl.ChatModel])
assert_type(chat.azure_ad_token_provider(async_entra_token), tl.AzureOpenAIBuilder[tl.ChatModel])

# -- reasoning models take their effort levels --

reasoning = start.model("o4-mini").reasoning_effort("high")
assert_type(reasoning, tl.AzureOpenAIBuilder[tl.ReasoningLowMediumHigh])
assert_type(
    start.model("gpt-5").reasoning_effort("minimal"),
    tl.AzureOpenAIBuilder[tl.ReasoningMinimalLowMediumHigh],
)

# -- every state with a model builds --

assert_type(chat.build(), tl.Client)
assert_type(reasoning.deployment("o4-mini-prod").v1().build(), tl.Client)
assert_type(start.model("gpt-5.1").build(), tl.Client)

# -- Vertex AI: project/location from the environment, token providers, ADC --

g = tl.gemini().model("gemini-2.5-flash")
assert_type(g.vertex(), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(g.vertex(location="global"), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(g.vertex(project="p").token_provider(entra_token), tl.GeminiBuilder[tl.ThinkingModel])
assert_type(
    g.vertex().auth(tl.hosts.TokenAuth(async_entra_token)), tl.GeminiBuilder[tl.ThinkingModel]
)
assert_type(tl.hosts.google_adc(), tl.hosts.GoogleADC)
assert_type(
    g.vertex().auth(tl.hosts.TokenAuth(tl.hosts.google_adc())), tl.GeminiBuilder[tl.ThinkingModel]
)
