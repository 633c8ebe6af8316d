"""Rejected: misuse of provider-native tools. One misuse per line; each line carries the mypy
code and the pyright rules it must trigger."""

from __future__ import annotations

import typedllm as tl

# -- options are typed --
tl.WebSearch(context_size="huge")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.WebSearch(max_uses="3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.WebSearch(user_location="Paris")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.FileSearch(vector_store_ids="vs_1")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.UrlContext(enabled=True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]

# -- only native tools go in native_tools --
tl.CallOptions(native_tools=(tl.ToolDefinition("f"),))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.CallOptions(native_tools=tl.WebSearch())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().native_tools("web_search")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- results must be narrowed before their specific fields are read --
tl.NativeToolResult(name="x").queries  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
