"""Rejected: misuse of the Responses API options. One misuse per line; each line carries the
mypy code and the pyright rules it must trigger."""

from __future__ import annotations

import typedllm as tl

# -- only the two APIs exist --
tl.openai().api("bogus")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("gpt-4o").api("completions")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- reasoning summaries: reasoning models only, documented levels only --
tl.openai().model("gpt-4o").reasoning_summary("auto")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("gpt-4.1").api("responses").reasoning_summary("auto")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().reasoning_summary("auto")  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
tl.openai().model("o3").reasoning_summary("verbose")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- gpt-5-pro takes only "high" effort, and no temperature --
tl.openai().model("gpt-5-pro").reasoning_effort("low")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().model("o3-pro").temperature(0.5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- store takes a bool; previous_response_id a str --
tl.openai().store("yes")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.CallOptions(previous_response_id=42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
