"""Accepted: model listing records and OpenTelemetry instrumentation keep their types."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl
from typedllm.integrations import otel


async def listing(llm: tl.Client) -> None:
    models = llm.list_models()
    assert_type(models, list[tl.ListedModel])
    assert_type(await llm.alist_models(), list[tl.ListedModel])
    first = models[0]
    assert_type(first.id, str)
    assert_type(first.in_catalog, bool)
    assert_type(first.catalog, tl.ModelInfo | None)
    assert_type(first.context_window, int | None)
    assert_type(first.created, float | None)


def instrumented(llm: tl.Client) -> None:
    builder = tl.openai().model("gpt-4o-mini")
    assert_type(otel.instrument(builder), tl.OpenAIBuilder[tl.ChatModel])
    assert_type(otel.instrument(builder, capture_content=True).build(), tl.Client)
    assert_type(otel.instrument(llm), tl.Client)
    hook = otel.OTelHook(capture_content=False)
    assert_type(builder.on_event(hook), tl.OpenAIBuilder[tl.ChatModel])
    with hook.tool_span("get_weather", call_id="c1") as tool:
        assert_type(tool, otel.ToolSpan)
        tool.set_result({"ok": True})
