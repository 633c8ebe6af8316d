"""Rejected: misuse of the Azure OpenAI builder. One misuse per line; each line carries the mypy
code and the pyright rules it must trigger."""

from __future__ import annotations

import typedllm as tl

# -- build() needs a model --
tl.azure_openai().build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().deployment("d").endpoint("https://r.openai.azure.com").build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().v1().api_key("k").build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- model names: OpenAI's catalog only (like= for other names) --
tl.azure_openai().model("my-deployment")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.azure_openai().model("claude-sonnet-4-5")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.azure_openai().model("gemini-2.5-flash")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
tl.azure_openai().model("DeepSeek-R1", like="deepseek-r1")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]

# -- reasoning models take no temperature/top_p --
tl.azure_openai().model("o3").temperature(0.7)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().model("o4-mini").deployment("o4").top_p(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().model("gpt-5").v1().temperature(1.0)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().model("x", like="o3").temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- chat models take no reasoning effort; reasoning models only their levels --
tl.azure_openai().model("gpt-4o").reasoning_effort("high")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.azure_openai().model("o3").reasoning_effort("minimal")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- a token provider is a callable --
tl.azure_openai().azure_ad_token_provider("eyJ...")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.gemini().model("gemini-2.5-flash").vertex().token_provider("ya29...")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
