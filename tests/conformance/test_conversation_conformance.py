"""Conversations against real recorded traffic: tool calls, tool results, multimodal input and
reasoning parts, on the Chat Completions (every host), Anthropic Messages and Gemini wires.

The recorded requests were produced by other clients (see the corpus README), so nothing here
compares bytes. Each recorded conversation is converted into our message IR (one converter per
wire, below), encoded by our client, and both the recorded body and ours are reduced to the same
*canonical* form: per wire message its role and a tuple of semantic items (text, media source,
tool call id/name/parsed arguments/signature, tool result id/content, reasoning with signature).
The canonical forms must be equal, after the documented regroupings (Anthropic and Gemini put a
run of tool results in one user turn; Anthropic also puts user text after results in that
turn). Parts our IR does not model (provider file ids, video, server-tool blocks ...) are
dropped from the recorded side and counted; every test asserts a minimum number of cases really
compared so that it can never pass by testing nothing.

Answers are checked the other way round: every recorded non-streaming answer and SSE stream
with tool calls or reasoning is decoded and compared with an independent, naive reading of the
recording; then the decoded assistant message is encoded again as history, which must send the
signatures back exactly and let ``tl.tool_result`` answer each call by its id.

Cases marked ``xfail(strict=True)`` document real encoder/decoder bugs (see ``KNOWN_BUGS``).
"""

from __future__ import annotations

import base64
import json
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from _corpus import case_id, load_cases

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import ChatRequest, DecodedCompletion
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec
from typedllm.codecs import openai_chat as openai_codec

CHAT, ANTHROPIC, GEMINI = "chat_completions", "anthropic_messages", "gemini_generate_content"
CODECS: dict[str, Any] = {CHAT: openai_codec, ANTHROPIC: anthropic_codec, GEMINI: gemini_codec}

ALL = load_cases(lambda c: c["api"] in CODECS)

# -- known bugs (each xfail is strict: fixing the bug makes the test pass and the xfail fail) --

KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _params(kind: str, cases: Iterable[dict[str, Any]]) -> list[Any]:
    """Parametrize over cases, marking the known bugs of ``kind`` as strict xfails."""
    out = []
    for case in cases:
        reason = KNOWN_BUGS.get((kind, case["id"]))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case, id=case_id(case), marks=marks))
    return out


# -- clients ----------------------------------------------------------------------------------


def _client(case: dict[str, Any]) -> tl.Client:
    """A client of the case's wire. The body does not depend on the exact model beyond what
    these stand-ins share with the recorded ones (tools, vision, documents, audio on Gemini);
    hosts other than OpenAI are OpenAI-compatible servers."""
    api = case["api"]
    if api == ANTHROPIC:
        return tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    if api == GEMINI:
        return tl.gemini().model("gemini-2.5-flash").api_key("k").build()
    host = case["request"]["host"]
    if host == "api.openai.com":
        return tl.openai().model("gpt-4o").api_key("k").build()
    return (
        tl.openai_compatible(f"https://{host}/v1").model(case["model"] or "m").api_key("k").build()
    )


def _encode(case: dict[str, Any], conv: Converted) -> dict[str, Any]:
    """Our final request body for the converted conversation (the real path: gates, options,
    codec), parsed back from its bytes."""
    wire = _client(case).request_for(conv.messages, options=conv.options)
    body: dict[str, Any] = orjson.loads(wire.body)
    return body


def _encode_history(case: dict[str, Any], messages: tuple[tl.Message, ...]) -> dict[str, Any]:
    """Our codec's body for ``messages`` as history (pure encode_body, no gates)."""
    client = _client(case)
    request = ChatRequest(messages, None, client.config.defaults)
    body: dict[str, Any] = CODECS[case["api"]].encode_body(client.config, request)
    return body


# -- shared helpers ---------------------------------------------------------------------------

TRIMMED = b"<trimmed>"  # stands for a payload the corpus replaced by a placeholder
TRIMMED_B64 = base64.b64encode(TRIMMED).decode()
DATA_URL = re.compile(r"^data:(?P<type>[^;,]+)(?P<params>(?:;[^,]*)*),(?P<data>.*)$", re.DOTALL)


def _b64_bytes(data: str) -> bytes:
    """Recorded base64 as bytes (the placeholder for trimmed payloads). Tolerant like the
    services are: Mirascope sent a PDF to Gemini in URL-safe base64 without padding."""
    if data.startswith("<trimmed"):
        return TRIMMED
    data = data.replace("-", "+").replace("_", "/")
    return base64.b64decode(data + "=" * (-len(data) % 4))


def _payload(data: str) -> bytes | None:
    """A base64 media payload as compared: its bytes (the alphabet and padding are not
    content), ``None`` when trimmed (only its media type and source kind can be compared)."""
    if data.startswith("<trimmed") or data == TRIMMED_B64:
        return None
    return _b64_bytes(data)


def _args(raw: Any) -> Any:
    """Tool call arguments as parsed JSON (recorded as a JSON string or as an object)."""
    if isinstance(raw, str):
        return json.loads(raw) if raw.strip() else {}
    return raw if raw is not None else {}


def _media_part(mime: str, *, url: str | None = None, data: bytes | None = None) -> tl.Part:
    """The IR part for a media type (images, audio, anything else is a document)."""
    if mime.startswith("image/"):
        return tl.ImagePart(url=url, data=data, media_type=mime)
    if mime.startswith("audio/"):
        return tl.AudioPart(url=url, data=data, media_type=mime)
    return tl.DocumentPart(url=url, data=data, media_type=mime)


def _lower_types(schema: Any) -> Any:
    """A recorded OpenAPI-subset schema (``"type": "OBJECT"``) as the JSON Schema a user writes."""
    if isinstance(schema, dict):
        return {
            k: (v.lower() if k == "type" and isinstance(v, str) else _lower_types(v))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_lower_types(v) for v in schema]
    return schema


def _tool(name: str, description: Any, params: Any, strict: Any = None) -> tl.ToolDefinition:
    parameters = _lower_types(params) if isinstance(params, dict) else {"type": "object"}
    return tl.ToolDefinition(
        name, description or "", parameters, strict if isinstance(strict, bool) else None
    )


def _props(schema: Any) -> tuple[str, ...]:
    """The parameter property names of a tool schema (what must survive the dialect)."""
    return tuple(sorted((schema or {}).get("properties") or {}))


@dataclass
class Converted:
    """A recorded request in our IR, and what of it the IR could not hold."""

    messages: tuple[tl.Message, ...]
    options: tl.CallOptions
    skipped: list[str] = field(default_factory=list[str])
    media: int = 0  # media parts converted (multimodal comparisons really made)


def _options(
    tools: list[tl.ToolDefinition], choice: str | None, parallel: bool | None
) -> tl.CallOptions:
    if not tools:
        return tl.CallOptions()
    return tl.CallOptions(tools=tuple(tools), tool_choice=choice, parallel_tool_calls=parallel)


# == Chat Completions ==========================================================================
#
# Converter: system/developer -> tl.system; user content (string or text/image_url/file/
# input_audio parts) -> tl.user; assistant content + tool_calls -> tl.assistant (DeepSeek's
# ``reasoning_content`` on a tool-call message -> a ReasoningPart, which DeepSeek requires
# back); ``tool`` messages -> tl.tool_result.


def _chat_parts(content: Any, conv: Converted) -> list[tl.Part]:
    if content is None:
        return []
    if isinstance(content, str):
        return [tl.TextPart(content)] if content else []
    parts: list[tl.Part] = []
    for raw in content:
        kind = raw.get("type")
        if kind == "text":
            parts.append(tl.TextPart(raw["text"]))
        elif kind == "image_url":
            image = raw["image_url"]
            match = DATA_URL.match(image["url"])
            if match:
                parts.append(
                    tl.ImagePart(
                        data=_b64_bytes(match["data"]),
                        media_type=match["type"],
                        detail=image.get("detail"),
                    )
                )
            else:
                parts.append(tl.ImagePart(url=image["url"], detail=image.get("detail")))
            conv.media += 1
        elif kind == "input_audio":
            audio = raw["input_audio"]
            mime = {"mp3": "audio/mpeg"}.get(audio["format"], f"audio/{audio['format']}")
            parts.append(tl.AudioPart(data=_b64_bytes(audio["data"]), media_type=mime))
            conv.media += 1
        elif kind == "file" and "file_data" in raw["file"]:
            file = raw["file"]
            match = DATA_URL.match(file["file_data"])
            if match:
                part = tl.DocumentPart(
                    data=_b64_bytes(match["data"]),
                    media_type=match["type"],
                    title=file.get("filename"),
                )
            else:  # a URL (OpenRouter): our codec refuses documents by URL on this wire
                part = tl.DocumentPart(url=file["file_data"], title=file.get("filename"))
            parts.append(part)
            conv.media += 1
        elif kind == "file":
            conv.skipped.append("file part by provider file_id (the IR has no file ids)")
        else:
            conv.skipped.append(f"{kind} part (not in the IR)")
    return parts


def _chat_convert(body: dict[str, Any], provider: str) -> Converted:
    conv = Converted((), tl.CallOptions())
    messages: list[tl.Message] = []
    for m in body["messages"]:
        role = m["role"]
        if role in ("system", "developer"):
            messages.append(tl.Message("system", _chat_parts(m.get("content"), conv)))
        elif role == "user":
            messages.append(tl.user(_chat_parts(m.get("content"), conv)))
        elif role == "assistant":
            parts = _chat_parts(m.get("content"), conv)
            calls = [
                tl.ToolCall(
                    c["id"], c["function"]["name"], json.dumps(_args(c["function"]["arguments"]))
                )
                for c in m.get("tool_calls") or []
            ]
            if calls and m.get("reasoning_content"):
                parts.insert(
                    0,
                    tl.ReasoningPart(
                        m["reasoning_content"], provider=provider, source="reasoning_content"
                    ),
                )
            messages.append(tl.assistant(parts, tool_calls=calls))
        elif role == "tool":
            content = m.get("content")
            if isinstance(content, list):
                content = "".join(p.get("text", "") for p in content)
            messages.append(tl.tool_result(m["tool_call_id"], content or ""))
        else:
            conv.skipped.append(f"{role} message")
    tools = []
    for t in body.get("tools") or []:
        fn = t.get("function")
        if t.get("type", "function") != "function" or not fn:
            conv.skipped.append(f"{t.get('type')} tool (built-in, not a function)")
            continue
        tools.append(
            _tool(fn["name"], fn.get("description"), fn.get("parameters"), fn.get("strict"))
        )
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        choice = choice.get("function", {}).get("name") or choice.get("name")
    elif choice == "any":  # Mistral's spelling of "required"
        choice = "required"
    conv.messages = tuple(messages)
    conv.options = _options(tools, choice, body.get("parallel_tool_calls"))
    return conv


def _chat_text(content: Any) -> str:
    if isinstance(content, list):
        return "".join(p.get("text") or "" for p in content if p.get("type") == "text")
    return content or ""


def _chat_items(content: Any, strict: bool) -> list[tuple[Any, ...]]:
    if content is None or isinstance(content, str):
        return [("text", content)] if content else []
    items: list[tuple[Any, ...]] = []
    for p in content:
        kind = p.get("type")
        if kind == "text":
            items.append(("text", p["text"]))
        elif kind == "image_url":
            url, detail = p["image_url"]["url"], p["image_url"].get("detail")
            match = DATA_URL.match(url)
            if match:
                items.append(("image", "base64", match["type"], _payload(match["data"]), detail))
            else:
                items.append(("image", "url", None, url, detail))
        elif kind == "input_audio":
            audio = p["input_audio"]
            items.append(("audio", "base64", audio["format"], _payload(audio["data"])))
        elif kind == "file" and "file_data" in p["file"]:
            match = DATA_URL.match(p["file"]["file_data"])
            assert match, p
            items.append(
                (
                    "document",
                    "base64",
                    match["type"],
                    _payload(match["data"]),
                    p["file"].get("filename"),
                )
            )
        else:
            assert not strict, f"our encoder sent a part the comparison does not know: {p}"
    return items


def _chat_canon(messages: list[dict[str, Any]], strict: bool) -> list[tuple[Any, ...]]:
    """Role and items of every Chat Completions message. System text is compared joined (we
    send one string); assistant text joined too; DeepSeek's reasoning_content only where it
    must go back (assistant messages with tool calls)."""
    out: list[tuple[Any, ...]] = []
    for m in messages:
        role = {"developer": "system"}.get(m["role"], m["role"])
        if role == "tool":
            out.append(("tool", m["tool_call_id"], _chat_text(m.get("content"))))
            continue
        if role in ("system", "assistant"):
            text = _chat_text(m.get("content"))
            items: list[tuple[Any, ...]] = [("text", text)] if text else []
        else:
            items = _chat_items(m.get("content"), strict)
        calls = m.get("tool_calls") or []
        if role == "assistant" and calls and m.get("reasoning_content"):
            items.insert(0, ("reasoning", m["reasoning_content"]))
        for c in calls:
            fn = c["function"]
            items.append(("call", c["id"], fn["name"], _args(fn["arguments"])))
        out.append((role, tuple(items)))
    return out


def _chat_tools(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    out = []
    for t in body.get("tools") or []:
        fn = t.get("function")
        if t.get("type", "function") == "function" and fn:
            strict = fn.get("strict") if isinstance(fn.get("strict"), bool) else None
            out.append(
                (fn["name"], fn.get("description") or "", _props(fn.get("parameters")), strict)
            )
    return out


def _chat_choice(body: dict[str, Any]) -> Any:
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return ("function", choice.get("function", {}).get("name") or choice.get("name"))
    return {"any": "required"}.get(choice, choice) if choice is not None else None


def _compare_chat(recorded: dict[str, Any], ours: dict[str, Any]) -> None:
    assert _chat_canon(ours["messages"], True) == _chat_canon(recorded["messages"], False)
    assert _chat_tools(ours) == _chat_tools(recorded)
    if _chat_tools(recorded):
        assert _chat_choice(ours) == _chat_choice(recorded)
        assert ours.get("parallel_tool_calls") == recorded.get("parallel_tool_calls")


# == Anthropic Messages ========================================================================
#
# Converter: ``system`` -> tl.system per block; user blocks text/image/document (base64, url
# and text sources) -> tl.user; ``tool_result`` blocks -> tl.tool_result (text and media
# content, is_error), split out of their user turn in order; assistant text/tool_use ->
# TextPart/ToolCall, ``thinking`` -> ReasoningPart(signature, provider="anthropic"),
# ``redacted_thinking`` -> ReasoningPart(redacted=..., provider="anthropic").


def _anthropic_media(block: dict[str, Any], conv: Converted) -> tl.Part | None:
    source = block["source"]
    kind = source["type"]
    if kind == "file":
        conv.skipped.append("document/image by provider file_id (the IR has no file ids)")
        return None
    conv.media += 1
    if block["type"] == "image":
        if kind == "url":
            return tl.ImagePart(url=source["url"])
        return tl.ImagePart(data=_b64_bytes(source["data"]), media_type=source["media_type"])
    title = block.get("title")
    if kind == "url":
        return tl.DocumentPart(url=source["url"], title=title)
    if kind == "text":
        return tl.DocumentPart(
            data=source["data"].encode(), media_type=source["media_type"], title=title
        )
    return tl.DocumentPart(
        data=_b64_bytes(source["data"]), media_type=source["media_type"], title=title
    )


def _anthropic_input(block: dict[str, Any], conv: Converted) -> tl.Part | None:
    kind = block.get("type")
    if kind == "text":
        return tl.TextPart(block["text"])
    if kind in ("image", "document"):
        return _anthropic_media(block, conv)
    conv.skipped.append(f"{kind} block (not in the IR)")
    return None


def _anthropic_convert(body: dict[str, Any], provider: str) -> Converted:
    conv = Converted((), tl.CallOptions())
    messages: list[tl.Message] = []
    system = body.get("system")
    if isinstance(system, str):
        messages.append(tl.system(system))
    for block in system if isinstance(system, list) else []:
        messages.append(tl.system(block["text"]))
    for m in body["messages"]:
        content = m["content"]
        blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
        if m["role"] == "assistant":
            parts: list[tl.Part] = []
            for b in blocks:
                kind = b["type"]
                if kind == "text":
                    parts.append(tl.TextPart(b["text"]))
                elif kind == "tool_use":
                    parts.append(tl.ToolCall(b["id"], b["name"], json.dumps(b.get("input") or {})))
                elif kind == "thinking":
                    parts.append(
                        tl.ReasoningPart(b["thinking"], signature=b["signature"], provider=provider)
                    )
                elif kind == "redacted_thinking":
                    parts.append(tl.ReasoningPart("", redacted=b["data"], provider=provider))
                else:
                    conv.skipped.append(f"assistant {kind} block (not in the IR)")
            messages.append(tl.Message("assistant", parts))
            continue
        pending: list[tl.Part] = []  # user parts before/after tool results, kept in order
        for b in blocks:
            if b.get("type") != "tool_result":
                part = _anthropic_input(b, conv)
                if part is not None:
                    pending.append(part)
                continue
            if pending:
                messages.append(tl.user(pending))
                pending = []
            result = b.get("content")
            if isinstance(result, list):
                result = [p for p in (_anthropic_input(x, conv) for x in result) if p is not None]
            messages.append(
                tl.tool_result(b["tool_use_id"], result or "", is_error=bool(b.get("is_error")))
            )
        if pending:
            messages.append(tl.user(pending))
    tools = []
    for t in body.get("tools") or []:
        if t.get("type") not in (None, "custom"):
            conv.skipped.append(f"{t['type']} tool (server tool, not a function)")
            continue
        tools.append(_tool(t["name"], t.get("description"), t.get("input_schema")))
    choice, parallel = None, None
    raw = body.get("tool_choice")
    if isinstance(raw, dict):
        choice = {"auto": "auto", "any": "required", "none": "none"}.get(raw["type"])
        choice = choice or raw.get("name")
        parallel = False if raw.get("disable_parallel_tool_use") else None
    conv.messages = tuple(messages)
    conv.options = _options(tools, choice, parallel)
    return conv


def _anthropic_media_item(block: dict[str, Any]) -> tuple[Any, ...] | None:
    source = block["source"]
    kind = source["type"]
    if kind == "url":
        return (block["type"], "url", None, source["url"], block.get("title"))
    if kind in ("base64", "text"):
        data = _payload(source["data"]) if kind == "base64" else source["data"]
        return (block["type"], kind, source["media_type"], data, block.get("title"))
    return None


def _anthropic_items(content: Any, strict: bool) -> list[tuple[Any, ...]]:
    blocks = [{"type": "text", "text": content}] if isinstance(content, str) else content
    items: list[tuple[Any, ...]] = []
    for b in blocks:
        kind = b["type"]
        item: tuple[Any, ...] | None = None
        if kind == "text":
            if not b["text"]:
                continue  # empty text blocks are not sent (the API rejects them)
            item = ("text", b["text"])
        elif kind in ("image", "document"):
            item = _anthropic_media_item(b)
        elif kind == "tool_use":
            item = ("call", b["id"], b["name"], b.get("input") or {})
        elif kind == "thinking":
            item = ("thinking", b["thinking"], b["signature"])
        elif kind == "redacted_thinking":
            item = ("redacted", b["data"])
        elif kind == "tool_result":
            inner = b.get("content")
            inner_blocks = [{"type": "text", "text": inner}] if isinstance(inner, str) else inner
            text = "".join(x["text"] for x in inner_blocks or [] if x["type"] == "text")
            media = tuple(
                _anthropic_media_item(x)
                for x in inner_blocks or []
                if x["type"] in ("image", "document")
            )
            item = ("result", b["tool_use_id"], text, media, bool(b.get("is_error")))
        if item is None:
            assert not strict, f"our encoder sent a block the comparison does not know: {b}"
            continue
        items.append(item)
    return items


def _anthropic_canon(body: dict[str, Any], strict: bool) -> list[tuple[Any, ...]]:
    """System texts, then role and items per message, with the documented regrouping applied:
    a user turn that follows a user turn holding tool results joins it (consecutive results,
    and user text after results, share one user message in our encoder)."""
    system = body.get("system")
    texts = [system] if isinstance(system, str) else [b["text"] for b in system or []]
    out: list[tuple[Any, ...]] = [("system", tuple(texts))]
    for m in body["messages"]:
        items = _anthropic_items(m["content"], strict)
        last = out[-1]
        if m["role"] == "user" and last[0] == "user" and any(i[0] == "result" for i in last[1]):
            out[-1] = ("user", last[1] + tuple(items))
        else:
            out.append((m["role"], tuple(items)))
    return out


def _anthropic_tools(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (t["name"], t.get("description") or "", _props(t.get("input_schema")))
        for t in body.get("tools") or []
        if t.get("type") in (None, "custom")
    ]


def _anthropic_choice(body: dict[str, Any]) -> Any:
    raw = body.get("tool_choice")
    if not isinstance(raw, dict):
        return None
    return (raw["type"], raw.get("name"), bool(raw.get("disable_parallel_tool_use")))


def _compare_anthropic(recorded: dict[str, Any], ours: dict[str, Any]) -> None:
    assert _anthropic_canon(ours, True) == _anthropic_canon(recorded, False)
    assert _anthropic_tools(ours) == _anthropic_tools(recorded)
    if _anthropic_tools(recorded):
        assert _anthropic_choice(ours) == _anthropic_choice(recorded)


# == Gemini generateContent ====================================================================
#
# Converter: ``systemInstruction`` parts -> tl.system each; user text/inlineData/fileData ->
# tl.user (snake_case spellings too); model text/thought/functionCall with ``thoughtSignature``
# (``thought_signature``) -> TextPart(signature)/ReasoningPart(signature, provider="gemini")/
# ToolCall(signature); ``functionResponse`` -> tl.tool_result (its nested media parts as the
# result's media). Calls recorded without an id get a made-up one that the matching response
# (by name, in order) reuses; results are given no name, so our encoder must find it by id.


def _g(part: dict[str, Any], camel: str, snake: str) -> Any:
    return part.get(camel, part.get(snake))


def _tool_entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    """``tools`` entries (Mirascope sends one object instead of a list)."""
    tools = body.get("tools") or []
    return [tools] if isinstance(tools, dict) else tools


def _system_parts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """``systemInstruction`` parts (ellmer sends one part as an object, not a list)."""
    system = _g(body, "systemInstruction", "system_instruction") or {}
    parts = system.get("parts", [])
    return [parts] if isinstance(parts, dict) else parts


def _gemini_media(part: dict[str, Any], conv: Converted) -> tl.Part | None:
    inline = _g(part, "inlineData", "inline_data")
    file = _g(part, "fileData", "file_data")
    raw = inline or file
    mime = _g(raw, "mimeType", "mime_type")
    if mime.startswith("video/"):
        conv.skipped.append("video part (the IR has no video part)")
        return None
    conv.media += 1
    if inline is not None:
        return _media_part(mime, data=_b64_bytes(inline["data"]))
    return _media_part(mime, url=_g(file, "fileUri", "file_uri"))


def _gemini_result_text(response: dict[str, Any]) -> tuple[str, bool]:
    """The text of a recorded ``functionResponse.response`` and whether it is an error."""
    if set(response) in ({"output"}, {"error"}):
        value = next(iter(response.values()))
        return (value if isinstance(value, str) else json.dumps(value)), "error" in response
    return json.dumps(response), False


def _gemini_convert(body: dict[str, Any], provider: str) -> Converted:
    conv = Converted((), tl.CallOptions())
    messages: list[tl.Message] = []
    for instruction in _system_parts(body):
        messages.append(tl.system(instruction["text"]))
    made_up: dict[str, deque[str]] = defaultdict(deque)  # name -> ids given to id-less calls
    for number, content in enumerate(body["contents"]):
        parts: list[tl.Part] = []
        if content.get("role") == "model":
            for p in content["parts"]:
                signature = _g(p, "thoughtSignature", "thought_signature")
                call = _g(p, "functionCall", "function_call")
                if call is not None:
                    call_id = call.get("id") or f"made-up-{number}-{len(parts)}"
                    if not call.get("id"):
                        made_up[call["name"]].append(call_id)
                    args = json.dumps(call.get("args") or {})
                    parts.append(tl.ToolCall(call_id, call["name"], args, signature))
                elif "text" in p and p.get("thought"):
                    parts.append(tl.ReasoningPart(p["text"], signature, provider=provider))
                elif "text" in p and (p["text"] or signature):
                    parts.append(tl.TextPart(p["text"], signature=signature))
                elif "text" not in p:
                    conv.skipped.append(f"model part {sorted(p)} (not in the IR)")
            messages.append(tl.Message("assistant", parts))
            continue
        for p in content["parts"]:
            response = _g(p, "functionResponse", "function_response")
            if response is None:
                if "text" in p:
                    parts.append(tl.TextPart(p["text"]))
                elif {"inlineData", "inline_data", "fileData", "file_data"} & set(p):
                    media = _gemini_media(p, conv)
                    parts += [media] if media is not None else []
                else:
                    conv.skipped.append(f"user part {sorted(p)} (not in the IR)")
                continue
            if parts:
                messages.append(tl.user(parts))
                parts = []
            call_id = response.get("id")
            if not call_id:
                queue = made_up[response["name"]]
                call_id = queue.popleft() if queue else f"made-up-result-{number}"
            text, is_error = _gemini_result_text(response.get("response") or {})
            nested = [
                m
                for m in (_gemini_media(x, conv) for x in response.get("parts") or [])
                if m is not None
            ]
            messages.append(tl.tool_result(call_id, [text, *nested], is_error=is_error))
        if parts:
            messages.append(tl.user(parts))
    tools = []
    for entry in _tool_entries(body):
        declarations = _g(entry, "functionDeclarations", "function_declarations")
        if declarations is None:
            conv.skipped.append(f"{sorted(entry)} tool (built-in, not a function)")
            continue
        for d in declarations:
            params = (
                d.get("parametersJsonSchema")
                or d.get("parameters_json_schema")
                or d.get("parameters")
            )
            tools.append(_tool(d["name"], d.get("description"), params))
    choice = None
    config = _g(body, "toolConfig", "tool_config") or {}
    calling = _g(config, "functionCallingConfig", "function_calling_config") or {}
    mode = calling.get("mode")
    allowed = _g(calling, "allowedFunctionNames", "allowed_function_names")
    if mode in ("AUTO", "NONE"):
        choice = mode.lower()
    elif mode == "ANY" and (not allowed or set(allowed) == {t.name for t in tools}):
        choice = "required"
    elif mode == "ANY" and len(allowed) == 1:
        choice = allowed[0]
    elif mode is not None:
        conv.skipped.append(f"tool config {calling} (not expressible as one tool_choice)")
    conv.messages = tuple(messages)
    conv.options = _options(tools, choice, None)
    return conv


def _gemini_items(parts: list[dict[str, Any]], strict: bool) -> list[tuple[Any, ...]]:
    items: list[tuple[Any, ...]] = []
    for p in parts:
        signature = _g(p, "thoughtSignature", "thought_signature")
        call = _g(p, "functionCall", "function_call")
        response = _g(p, "functionResponse", "function_response")
        media = _g(p, "inlineData", "inline_data") or _g(p, "fileData", "file_data")
        if call is not None:
            items.append(("call", call.get("id"), call["name"], call.get("args") or {}, signature))
        elif response is not None:
            value = response.get("response") or {}
            if set(value) in ({"output"}, {"error"}):
                kind, value = next(iter(value.items()))
            else:
                kind = "output"
            if isinstance(value, str):  # our encoder parses JSON text: compare parsed
                value = json.loads(value) if value.strip()[:1] in ("{", "[") else value
            items.append(("result", response.get("id"), response["name"], kind, value))
            items += _gemini_items(response.get("parts") or [], strict)
        elif "text" in p and p.get("thought"):
            items.append(("thought", p["text"], signature))
        elif "text" in p:
            if p["text"] or signature:
                items.append(("text", p["text"], signature))
        elif media is not None:
            mime = _g(media, "mimeType", "mime_type")
            if mime.startswith("video/"):
                assert not strict
                continue
            if "data" in media:
                items.append(("media", mime, "inline", _payload(media["data"])))
            else:
                items.append(("media", mime, "file", _g(media, "fileUri", "file_uri")))
        else:
            assert not strict, f"our encoder sent a part the comparison does not know: {p}"
    return items


def _gemini_canon(body: dict[str, Any], strict: bool) -> list[tuple[Any, ...]]:
    """System texts, then role and items per content. Documented regrouping: consecutive user
    turns of function responses are one turn in our encoder."""
    out: list[tuple[Any, ...]] = [("system", tuple(p["text"] for p in _system_parts(body)))]
    for content in body["contents"]:
        role = content.get("role") or "user"
        items = tuple(_gemini_items(content["parts"], strict))
        last = out[-1]
        results = bool(items) and items[0][0] == "result"
        if results and last[0] == "user" and last[1] and last[1][0][0] == "result":
            out[-1] = ("user", last[1] + items)
        else:
            out.append((role, items))
    return out


def _mask_ids(ours: list[tuple[Any, ...]], recorded: list[tuple[Any, ...]]) -> None:
    """Where the recording has no call/response id, ours carries a made-up one: check that it
    pairs the response with its call, then leave it out of the comparison."""
    calls: dict[str, str] = {}
    for index, (role, items) in enumerate(ours):
        rec_items = recorded[index][1] if index < len(recorded) else ()
        new = []
        for j, item in enumerate(items):
            rec = rec_items[j] if j < len(rec_items) and rec_items[j][0] == item[0] else None
            if item[0] == "call":
                calls[item[1]] = item[2]
            if item[0] == "result":
                assert calls.get(item[1]) == item[2], f"result {item} answers no earlier call"
            if item[0] in ("call", "result") and rec is not None and rec[1] is None:
                item = (item[0], None, *item[2:])
            new.append(item)
        ours[index] = (role, tuple(new))


def _gemini_tools(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    out = []
    for entry in _tool_entries(body):
        for d in _g(entry, "functionDeclarations", "function_declarations") or []:
            params = (
                d.get("parametersJsonSchema")
                or d.get("parameters_json_schema")
                or d.get("parameters")
            )
            out.append((d["name"], d.get("description") or "", _props(params)))
    return out


def _gemini_choice(body: dict[str, Any]) -> Any:
    config = _g(body, "toolConfig", "tool_config") or {}
    calling = _g(config, "functionCallingConfig", "function_calling_config")
    if not calling:
        return None
    mode = calling["mode"]
    if mode != "ANY":
        return (mode, None)
    allowed = _g(calling, "allowedFunctionNames", "allowed_function_names")
    return (mode, frozenset(allowed or [name for name, _, _ in _gemini_tools(body)]))


def _compare_gemini(recorded: dict[str, Any], ours: dict[str, Any]) -> None:
    expected, actual = _gemini_canon(recorded, False), _gemini_canon(ours, True)
    _mask_ids(actual, expected)
    assert actual == expected
    assert _gemini_tools(ours) == _gemini_tools(recorded)
    if _gemini_tools(recorded) and _gemini_choice(recorded) is not None:
        assert _gemini_choice(ours) == _gemini_choice(recorded)


CONVERT: dict[str, Callable[[dict[str, Any], str], Converted]] = {
    CHAT: _chat_convert,
    ANTHROPIC: _anthropic_convert,
    GEMINI: _gemini_convert,
}
COMPARE: dict[str, Callable[[dict[str, Any], dict[str, Any]], None]] = {
    CHAT: _compare_chat,
    ANTHROPIC: _compare_anthropic,
    GEMINI: _compare_gemini,
}


def _convert(case: dict[str, Any]) -> Converted:
    provider = _client(case).config.provider  # what the client's decoder would tag parts with
    return CONVERT[case["api"]](case["request"]["body"], provider)


# -- request selection ------------------------------------------------------------------------


def _accepted(case: dict[str, Any]) -> bool:
    """Whether the service accepted the request's shape: a success, or Vertex's refusal to
    fetch a linked image (robots.txt), which only happens after the body was understood."""
    response = case["response"]
    if response["status"] < 400:
        return True
    message = str((response.get("body") or {}).get("error", {}).get("message", ""))
    return message.startswith("Cannot fetch content from the provided URL")


def _has_tool_traffic(case: dict[str, Any]) -> bool:
    body = case["request"].get("body") or {}
    text = json.dumps(body)
    markers = {
        CHAT: ('"tool_calls"', '"role": "tool"', '"tools"'),
        ANTHROPIC: ('"tool_use"', '"tool_result"', '"tools"'),
        GEMINI: ("unctionCall", "unction_call", "unctionResponse", "unction_response", '"tools"'),
    }[case["api"]]
    return any(m in text for m in markers)


_MEDIA_MARKERS = (
    '"image_url"',
    '"input_audio"',
    '"type": "file"',
    '"video_url"',
    '"type": "image"',
    '"type": "document"',
    '"inlineData"',
    '"inline_data"',
    '"fileData"',
    '"file_data"',
)


def _has_media(case: dict[str, Any]) -> bool:
    return any(m in json.dumps(case["request"].get("body") or {}) for m in _MEDIA_MARKERS)


WITH_REQUEST = [c for c in ALL if c["request"].get("body")]
TOOL_REQUESTS = [c for c in WITH_REQUEST if _has_tool_traffic(c)]
MEDIA_REQUESTS = [c for c in WITH_REQUEST if _has_media(c)]


def _by_api(cases: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        counts[case["api"]] += 1
    return dict(counts)


def test_request_selection_is_not_empty() -> None:
    """The encoder comparisons below run on enough real requests of every wire."""
    tools = _by_api([c for c in TOOL_REQUESTS if _accepted(c)])
    assert tools[CHAT] >= 40 and tools[ANTHROPIC] >= 10 and tools[GEMINI] >= 10, tools
    history = [c for c in TOOL_REQUESTS if _accepted(c) and _history_kinds(c)]
    assert _by_api(history).keys() == {CHAT, ANTHROPIC, GEMINI}
    assert len(history) >= 15
    signed = [c for c in history if "signature" in json.dumps(c["request"]["body"]).lower()]
    assert len(signed) >= 4  # Gemini calls sent back with their thoughtSignature
    media = [c for c in MEDIA_REQUESTS if _accepted(c)]
    compared = [c for c in media if _compared_media(c)]
    assert _by_api(compared).keys() == {CHAT, ANTHROPIC, GEMINI}
    assert len(compared) >= 15, len(compared)


def _history_kinds(case: dict[str, Any]) -> set[str]:
    """Which of calls / results the recorded history holds."""
    kinds = set()
    for message in _convert(case).messages:
        if message.tool_calls:
            kinds.add("calls")
        if message.role == "tool":
            kinds.add("results")
    return kinds


def _compared_media(case: dict[str, Any]) -> int:
    """How many media parts of the case are really compared (not skipped, not refused)."""
    conv = _convert(case)
    refused = case["api"] == CHAT and _refused_documents(conv)
    return 0 if refused else conv.media


def _refused_documents(conv: Converted) -> int:
    """Documents by URL, which the Chat Completions codec refuses by design."""
    return sum(
        1
        for m in conv.messages
        for p in m.parts
        if isinstance(p, tl.DocumentPart) and p.url is not None
    )


def _compare_request(case: dict[str, Any]) -> Converted:
    if not _accepted(case):
        pytest.skip("the service rejected this request's shape: not a conformance target")
    conv = _convert(case)
    body = _encode(case, conv)
    COMPARE[case["api"]](case["request"]["body"], body)
    return conv


@pytest.mark.parametrize("case", _params("encode", TOOL_REQUESTS))
def test_encoder_matches_recorded_tool_conversation(case: dict[str, Any]) -> None:
    """Tool calls and results in the history and tool declarations: same wire messages in
    the same order (after the documented regroupings) with the same roles, tool call ids,
    function names, parsed arguments, result contents, signatures; same tool names and
    parameter property names; the same tool_choice."""
    if case["api"] == CHAT and _refused_documents(_convert(case)):
        pytest.skip(
            "documents by URL are refused on Chat Completions "
            "(checked by test_encoder_matches_recorded_multimodal_request)"
        )
    _compare_request(case)


@pytest.mark.parametrize("case", _params("encode", MEDIA_REQUESTS))
def test_encoder_matches_recorded_multimodal_request(case: dict[str, Any]) -> None:
    """Images, documents and audio by URL, data URL or base64 (media type and source kind
    only where the corpus trimmed the payload)."""
    conv = _convert(case)
    if case["api"] == CHAT and _refused_documents(conv):
        # OpenRouter accepts a URL in file.file_data; our codec sends documents as bytes only
        # and says so before sending anything.
        with pytest.raises(tl.ConfigurationError, match="by URL"):
            _encode(case, conv)
        return
    if not conv.media:
        pytest.skip(f"no media part the IR models: {sorted(set(conv.skipped))}")
    _compare_request(case)


# == decoding answers ==========================================================================
#
# A deliberately naive reading of every recorded answer: the parts it holds, in order, as
# (kind, payload...) tuples. For SSE streams the events are read the same simple way the
# stream conformance test reads them. The decoder's result must match it.


def _sse_events(raw: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data and data != ["[DONE]"]:
            out.append((name, json.loads("\n".join(data))))
    return out


@dataclass
class Expected:
    """What the recording says the answer holds."""

    parts: list[list[Any]] = field(default_factory=list[list[Any]])  # [kind, ...] in order
    id_less: set[int] = field(default_factory=set[int])  # call positions without a given id
    server: set[str] = field(default_factory=set[str])  # ids of Anthropic server tool calls
    in_band: bool = False  # reasoning from a <think> block (whitespace at its edges is not kept)

    def add(self, kind: str, *payload: Any) -> list[Any]:
        self.parts.append([kind, *payload])
        return self.parts[-1]

    def last(self, kind: str) -> list[Any] | None:
        return self.parts[-1] if self.parts and self.parts[-1][0] == kind else None


def _chat_expected(messages: Iterable[dict[str, Any]]) -> Expected:
    """Choice 0 of Chat Completions message(s) or stream deltas: reasoning (reasoning_content,
    reasoning, Mistral thinking parts, a leading <think> block), text, tool calls by index."""
    reasoning: list[str] = []
    text: list[str] = []
    calls: dict[int, list[str]] = {}  # index -> [id, name, arguments]
    for delta in messages:
        for key in ("reasoning_content", "reasoning"):
            if isinstance(delta.get(key), str):
                reasoning.append(delta[key])
                break
        content = delta.get("content")
        if isinstance(content, list):
            for p in content:
                if p.get("type") == "text":
                    text.append(p["text"])
                elif p.get("type") == "thinking":
                    inner = p["thinking"]
                    reasoning.append(
                        inner if isinstance(inner, str) else "".join(t["text"] for t in inner)
                    )
        elif isinstance(content, str):
            text.append(content)
        for call in delta.get("tool_calls") or []:
            entry = calls.setdefault(call.get("index", len(calls)), ["", "", ""])
            fn = call.get("function") or {}
            entry[0] = entry[0] or call.get("id") or ""
            entry[1] = entry[1] or fn.get("name") or ""
            args = fn.get("arguments")
            entry[2] += args if isinstance(args, str) else json.dumps(args) if args else ""
    joined = "".join(text)
    thought = "".join(reasoning)
    match = re.match(r"^\s*<think>(.*?)</think>\s*", joined, re.DOTALL)
    if match and not thought:
        thought, joined = match.group(1).strip(), joined[match.end() :]
    expected = Expected(in_band=bool(match and not "".join(reasoning)))
    if thought:
        expected.add("reasoning", thought, None, None)
    if joined:
        expected.add("text", joined, None)
    for position, (_, (call_id, name, args)) in enumerate(sorted(calls.items())):
        if not call_id:
            expected.id_less.add(position)
        expected.add("call", call_id, name, args, None)
    return expected


def _anthropic_expected(blocks: dict[int, dict[str, Any]]) -> Expected:
    """Content blocks by index: text, thinking (+signature), redacted_thinking, tool_use (a
    client call); server_tool_use and every other block (server-tool results ...) are kept
    opaque, as received, so that they can be sent back."""
    expected = Expected()
    for _, b in sorted(blocks.items()):
        kind = b["type"]
        if kind == "text":
            expected.add("text", b.get("text", ""), None)
        elif kind == "thinking":
            expected.add("reasoning", b.get("thinking", ""), b.get("signature") or None, None)
        elif kind == "redacted_thinking":
            expected.add("reasoning", "", None, b["data"])
        elif kind == "tool_use":
            expected.add("call", b["id"], b["name"], b["args"], None)
        else:
            if kind == "server_tool_use":
                expected.server.add(b["id"])
            expected.add("opaque", kind)
    return expected


def _anthropic_body_blocks(content: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {
        i: {**b, "args": json.dumps(b["input"]) if "input" in b else ""}
        for i, b in enumerate(content)
    }


def _anthropic_stream_blocks(events: list[tuple[str, Any]]) -> dict[int, dict[str, Any]]:
    blocks: dict[int, dict[str, Any]] = {}
    for _, data in events:
        if data.get("type") == "content_block_start":
            block = dict(data["content_block"])
            block["args"] = json.dumps(block["input"]) if block.get("input") else ""
            blocks[data["index"]] = block
        elif data.get("type") == "content_block_delta":
            block, delta = blocks[data["index"]], data["delta"]
            if delta["type"] == "text_delta":
                block["text"] = block.get("text", "") + delta["text"]
            elif delta["type"] == "thinking_delta":
                block["thinking"] = block.get("thinking", "") + delta["thinking"]
            elif delta["type"] == "signature_delta":
                block["signature"] = block.get("signature", "") + delta["signature"]
            elif delta["type"] == "input_json_delta":
                block["args"] += delta["partial_json"]
    return blocks


def _gemini_expected(chunks: Iterable[dict[str, Any]]) -> Expected:
    """Candidate 0's parts across chunks: consecutive thoughts are one reasoning part and
    consecutive texts one text part; a thoughtSignature stays with the part it came on (an
    empty text part carrying one signs the text it follows); every functionCall is a call with
    its own signature."""
    expected = Expected()
    for chunk in chunks:
        for candidate in chunk.get("candidates", [])[:1]:
            for p in (candidate.get("content") or {}).get("parts", []):
                signature = _g(p, "thoughtSignature", "thought_signature")
                call = _g(p, "functionCall", "function_call")
                if call is not None:
                    if not call.get("id"):
                        expected.id_less.add(len([x for x in expected.parts if x[0] == "call"]))
                    args = json.dumps(call.get("args") or {})
                    expected.add("call", call.get("id") or "", call["name"], args, signature)
                elif "text" in p and p.get("thought"):
                    part = expected.last("reasoning")
                    if part is None or (signature and part[2]):  # a second signed thought
                        part = expected.add("reasoning", "", None, None)
                    part[1] += p["text"]
                    part[2] = signature or part[2]
                elif "text" in p:
                    if not p["text"] and not signature:
                        continue
                    part = expected.last("text")
                    if part is None or (signature and part[2]):  # a second signed text
                        part = expected.add("text", "", None)
                    part[1] += p["text"]
                    part[2] = signature or part[2]
                elif p:  # server-side tool calls/results ...: kept as received
                    keys = [k for k in p if k not in ("thoughtSignature", "thought_signature")]
                    expected.add("opaque", keys[0] if keys else "")
    return expected


def _expected_of_body(case: dict[str, Any]) -> Expected:
    body = case["response"]["body"]
    if case["api"] == CHAT:
        return _chat_expected([body["choices"][0]["message"]])
    if case["api"] == ANTHROPIC:
        return _anthropic_expected(_anthropic_body_blocks(body["content"]))
    return _gemini_expected(body if isinstance(body, list) else [body])


def _expected_of_stream(case: dict[str, Any]) -> Expected:
    events = _sse_events(case["response"]["sse"])
    if case["api"] == CHAT:
        deltas = [
            ch.get("delta") or {}
            for _, chunk in events
            for ch in chunk.get("choices", [])
            if ch.get("index", 0) == 0
        ]
        return _chat_expected(deltas)
    if case["api"] == ANTHROPIC:
        return _anthropic_expected(_anthropic_stream_blocks(events))
    return _gemini_expected(chunk for _, chunk in events)


# Gemini's candidate metadata of the built-in tools, kept as opaque parts for native_results
# (not content parts: the naive reading of the parts does not see them).
GEMINI_METADATA = ("groundingMetadata", "urlContextMetadata")


def _actual(decoded: DecodedCompletion) -> list[list[Any]]:
    """The decoded parts in the same shape (signatures included: they are compare=False on
    the dataclasses, so plain equality would not see them)."""
    out: list[list[Any]] = []
    for p in decoded.parts:
        if isinstance(p, tl.ReasoningPart):
            out.append(["reasoning", p.text, p.signature, p.redacted])
        elif isinstance(p, tl.TextPart):
            out.append(["text", p.text, p.signature])
        elif isinstance(p, tl.ToolCall):
            out.append(["call", p.id, p.name, p.arguments, p.signature])
        elif isinstance(p, tl.RefusalPart):
            out.append(["refusal", p.text])
        elif isinstance(p, tl.OpaquePart) and p.kind not in GEMINI_METADATA:
            out.append(["opaque", p.kind])
    return out


def _assert_matches(decoded: DecodedCompletion, expected: Expected, api: str) -> None:
    """Decoded parts vs the naive reading: same kinds in the same order, same texts and
    signatures, calls with the same name and parsed arguments and the recorded id (or, where
    the recording gives none, a non-empty id unique within the answer)."""
    actual = [p for p in _actual(decoded) if p[0] != "refusal"]
    if api == CHAT:  # an empty content string is an empty text part; the reading has none
        actual = [p for p in actual if not (p[0] == "text" and not p[1])]
    assert [p[0] for p in actual] == [p[0] for p in expected.parts]
    position = 0
    for got, want in zip(actual, expected.parts, strict=True):
        if want[0] != "call":
            if expected.in_band and got[0] == "reasoning":
                got = [got[0], got[1].strip(), *got[2:]]
            assert got == want
            continue
        assert got[2] == want[2]  # name
        # the arguments, parsed (so they must be JSON text at all, as users parse them)
        assert json.loads(got[3]) == _args(want[3])
        assert got[4] == want[4]  # signature
        if position in expected.id_less:
            assert got[1], f"call {got[2]} has no id: results could not answer it"
        else:
            assert got[1] == want[1]
        position += 1
    ids = [c.id for c in decoded.tool_calls]
    assert len(set(ids)) == len(ids), f"tool call ids are not unique: {ids}"


def _wire(case: dict[str, Any]) -> WireResponse:
    r = case["response"]
    headers = {k.lower(): v for k, v in r["headers"].items()}
    return WireResponse(r["status"], headers, orjson.dumps(r["body"]))


def _provider(case: dict[str, Any]) -> str:
    """The provider name our client decodes with (``gemini`` on Vertex too: the reasoning
    parts it tags are sent back to that provider only)."""
    return _client(case).config.provider


def _decode(case: dict[str, Any]) -> DecodedCompletion:
    decoded: DecodedCompletion = CODECS[case["api"]].decode(_provider(case), _wire(case))
    return decoded


def _is_success_body(case: dict[str, Any]) -> bool:
    r = case["response"]
    body = r.get("body")
    if r["status"] >= 400 or body is None:
        return False
    chunks = body if isinstance(body, list) else [body]
    return not any("error" in c or c.get("type") == "error" for c in chunks)


def _calls_or_reasoning(expected: Expected) -> bool:
    return any(p[0] in ("call", "reasoning") or (p[0] == "text" and p[2]) for p in expected.parts)


ANSWERS = [c for c in ALL if _is_success_body(c) and _calls_or_reasoning(_expected_of_body(c))]
STREAMS = [
    c
    for c in ALL
    if "sse" in c["response"]
    and not any(
        n == "error" or "error" in d or d.get("type") == "error"
        for n, d in _sse_events(c["response"]["sse"])
    )
    and _calls_or_reasoning(_expected_of_stream(c))
]


def test_answer_selection_is_not_empty() -> None:
    answers, streams = _by_api(ANSWERS), _by_api(STREAMS)
    assert answers[CHAT] >= 25 and answers[ANTHROPIC] >= 8 and answers[GEMINI] >= 12, answers
    assert streams[CHAT] >= 20 and streams[ANTHROPIC] >= 4 and streams[GEMINI] >= 5, streams
    signed = [
        c for c in ANSWERS if any(p[0] != "call" and p[2] for p in _expected_of_body(c).parts)
    ]
    assert _by_api(signed).keys() == {ANTHROPIC, GEMINI}  # thinking and thought signatures
    assert any(c["provider"] == "google_vertex" for c in ANSWERS)


@pytest.mark.parametrize("case", _params("decode", ANSWERS))
def test_decoder_matches_recorded_answer(case: dict[str, Any]) -> None:
    """Every non-streaming answer with tool calls or reasoning, part by part; Gemini's made-up
    ids are stable (decoding twice gives the same ids)."""
    decoded = _decode(case)
    _assert_matches(decoded, _expected_of_body(case), case["api"])
    assert [c.id for c in _decode(case).tool_calls] == [c.id for c in decoded.tool_calls]


def _history(decoded: DecodedCompletion) -> tuple[tl.Message, ...]:
    """A conversation continuing after the answer (every call answered, so it is valid)."""
    results = [tl.tool_result(c.id, "ok") for c in decoded.tool_calls]
    return (tl.user("x"), decoded.message, *results, *(() if results else (tl.user("next"),)))


def _sent_back(case: dict[str, Any], decoded: DecodedCompletion) -> list[Any]:
    """The answer's wire message as our encoder sends it back in the history."""
    body = _encode_history(case, _history(decoded))
    if case["api"] == GEMINI:
        parts: list[Any] = body["contents"][1]["parts"]
        return parts
    message = body["messages"][1]
    assert message["role"] == "assistant"
    if case["api"] == CHAT:
        return [message]
    content = message["content"]
    return [{"type": "text", "text": content}] if isinstance(content, str) else content


def _assert_sent_back(case: dict[str, Any], decoded: DecodedCompletion, expected: Expected) -> None:
    """Signatures (and the text/arguments they sign) go back exactly as recorded."""
    sent = _sent_back(case, decoded)
    if case["api"] == CHAT:
        (message,) = sent
        want = [[p[1], p[2], _args(p[3])] for p in expected.parts if p[0] == "call"]
        got = [
            [c["id"], c["function"]["name"], json.loads(c["function"]["arguments"])]
            for c in message.get("tool_calls") or []
        ]
        assert [g[1:] for g in got] == [w[1:] for w in want]
        assert [g[0] for g in got] == [c.id for c in decoded.tool_calls]
        return
    if case["api"] == ANTHROPIC:
        thinking = [
            ["reasoning", b["thinking"], b["signature"], None]
            if b["type"] == "thinking"
            else ["reasoning", "", None, b["data"]]
            for b in sent
            if b["type"] in ("thinking", "redacted_thinking")
        ]
        assert thinking == [p for p in expected.parts if p[0] == "reasoning"]
        calls = [[b["id"], b["name"], b["input"]] for b in sent if b["type"] == "tool_use"]
        assert calls == [[p[1], p[2], _args(p[3])] for p in expected.parts if p[0] == "call"]
        return
    signed = []
    for p in sent:
        signature = p.get("thoughtSignature")
        if "functionCall" in p:
            signed.append(["call", p["functionCall"]["name"], p["functionCall"]["args"], signature])
        elif p.get("thought"):
            signed.append(["reasoning", p["text"], signature])
        elif "text" in p and (p["text"] or signature):
            signed.append(["text", p["text"], signature])
    want = [["call", p[2], _args(p[3]), p[4]] if p[0] == "call" else p[:3] for p in expected.parts]
    assert signed == want


@pytest.mark.parametrize("case", _params("decode", ANSWERS))
def test_decoded_answer_sent_back_keeps_signatures(case: dict[str, Any]) -> None:
    """``decoded.message`` encoded by the same codec as history: Anthropic thinking blocks with
    their signatures (and redacted_thinking data), Gemini thoughtSignatures on the part kind
    they came on, every call with its id/name/arguments."""
    decoded = _decode(case)
    _assert_sent_back(case, decoded, _expected_of_body(case))


# -- Anthropic history fidelity ---------------------------------------------------------------

SERVER_TOOLS = [
    c
    for c in ANSWERS + STREAMS
    if c["api"] == ANTHROPIC
    and "server_tool_use" in json.dumps(c["response"].get("body") or c["response"].get("sse"))
]


def _decode_any(case: dict[str, Any]) -> DecodedCompletion:
    return _replay(case, None) if "sse" in case["response"] else _decode(case)


@pytest.mark.parametrize("case", _params("server_tools", SERVER_TOOLS))
def test_anthropic_server_tool_blocks_are_sent_back_as_server_blocks(
    case: dict[str, Any],
) -> None:
    """A server tool call (web_fetch, tool_search ...) was run by Anthropic: sent back, it must
    stay a ``server_tool_use`` followed by its result block, never become a client ``tool_use``
    waiting for our tool_result."""
    decoded = _decode_any(case)
    sent = _sent_back(case, decoded)
    expected = _expected_of(case)
    assert not [b for b in sent if b["type"] == "tool_use" and b["id"] in expected.server]
    kinds = [b["type"] for b in sent]
    assert "server_tool_use" in kinds
    assert any(k.endswith("_tool_result") for k in kinds)


@pytest.mark.parametrize(
    "case", _params("blank_text", [c for c in ANSWERS if c["api"] == ANTHROPIC])
)
def test_anthropic_history_has_no_blank_only_text(case: dict[str, Any]) -> None:
    """Anthropic rejects a turn whose text blocks are all empty or whitespace-only ('text
    content blocks must contain non-whitespace text'): such text must not be sent back alone."""
    sent = _sent_back(case, _decode(case))
    texts = [b["text"] for b in sent if b["type"] == "text"]
    assert not texts or any(t.strip() for t in texts), texts


# == streams ===================================================================================


def _replay_session(
    case: dict[str, Any], chunk: int | None
) -> tuple[DecodedCompletion, list[Any], bool]:
    """Feed the recorded SSE bytes to a fresh decoding session in pieces of ``chunk`` bytes
    (``None``: all at once), then flush: (result, deltas, whether the end event came)."""
    data = case["response"]["sse"].encode()
    decoder = CODECS[case["api"]].new_stream(_provider(case))
    size = chunk or len(data)
    deltas = []
    for i in range(0, len(data), size):
        deltas += decoder.feed(data[i : i + size])
    deltas += decoder.flush()
    result: DecodedCompletion = decoder.result(None)
    return result, deltas, decoder.done


def _replay(case: dict[str, Any], chunk: int | None) -> DecodedCompletion:
    return _replay_session(case, chunk)[0]


@pytest.mark.parametrize("case", _params("stream", STREAMS))
def test_stream_matches_recorded_events(case: dict[str, Any]) -> None:
    """Every recorded stream with tool calls or reasoning, at chunk sizes 1, 7, 64 and whole:
    the same parts whatever the chunking (signatures included), matching a naive reading of
    the events (Anthropic signature_delta, Gemini thoughtSignature, call ids/names/args); the
    text deltas handed out on the way add up to the answer text."""
    whole, deltas, done = _replay_session(case, None)
    for size in (1, 7, 64):
        assert _actual(_replay(case, size)) == _actual(whole)
    assert "".join(d for k, d in deltas if k == "text") == (whole.text or "")
    if case["api"] != GEMINI:  # Gemini streams end when the body does, others by an event
        assert done
    _assert_matches(whole, _expected_of_stream(case), case["api"])


def test_multi_choice_stream_answer_is_choice_zero_only() -> None:
    """The recorded n=3 stream: the answer is exactly the concatenation of choice 0's content
    deltas; the other choices never mix in, at any chunking."""
    (case,) = load_cases(
        lambda c: (
            c["id"].startswith("openai/stream_structured/")
            and "test_parse_pydantic_model_multiple_choices" in c["id"]
        )
    )
    events = _sse_events(case["response"]["sse"])
    by_choice: dict[int, str] = defaultdict(str)
    for _, chunk in events:
        for choice in chunk.get("choices", []):
            by_choice[choice["index"]] += (choice.get("delta") or {}).get("content") or ""
    assert len(by_choice) >= 2 and len(set(by_choice.values())) >= 2  # a real multi-choice case
    for size in (1, 7, 64, None):
        assert _replay(case, size).text == by_choice[0]


# == round trip: answering the calls ===========================================================


def _expected_of(case: dict[str, Any]) -> Expected:
    return _expected_of_body(case) if "body" in case["response"] else _expected_of_stream(case)


def _client_calls(case: dict[str, Any], decoded: DecodedCompletion) -> list[tl.ToolCall]:
    """The calls the client must answer (an Anthropic server tool call was already run)."""
    server = _expected_of(case).server
    return [c for c in decoded.tool_calls if not c.id or c.id not in server]


# Selected by the recording (not by what our decoder makes of it): answers with client calls.
ROUND_TRIP = [
    c
    for c in ANSWERS + STREAMS
    if any(p[0] == "call" and p[1] not in _expected_of(c).server for p in _expected_of(c).parts)
]


def test_round_trip_selection_is_not_empty() -> None:
    counts = _by_api(ROUND_TRIP)
    assert counts[CHAT] >= 20 and counts[ANTHROPIC] >= 6 and counts[GEMINI] >= 10, counts


@pytest.mark.parametrize("case", _params("roundtrip", ROUND_TRIP))
def test_tool_result_answers_its_call_on_the_same_wire(case: dict[str, Any]) -> None:
    """``tl.tool_result(call.id, "ok")`` after ``decoded.message`` encodes with each result
    matched to its call: OpenAI ``tool_call_id``, Anthropic ``tool_use_id`` in the next user
    turn, Gemini ``functionResponse`` name + id in the next user turn."""
    decoded = _decode_any(case)
    calls = _client_calls(case, decoded)
    history = (tl.user("x"), decoded.message, *[tl.tool_result(c.id, "ok") for c in calls])
    body = _encode_history(case, history)
    ids = [c.id for c in calls]
    assert all(ids)
    if case["api"] == CHAT:
        sent = body["messages"]
        assert [c["id"] for c in sent[1]["tool_calls"]] == [c.id for c in decoded.tool_calls]
        assert [(m["role"], m["tool_call_id"], m["content"]) for m in sent[2:]] == [
            ("tool", i, "ok") for i in ids
        ]
    elif case["api"] == ANTHROPIC:
        assistant, results = body["messages"][1], body["messages"][2]
        sent_ids = [b["id"] for b in assistant["content"] if b["type"] == "tool_use"]
        assert set(ids) <= set(sent_ids)
        assert results["role"] == "user"
        assert [(b["type"], b["tool_use_id"], b["content"]) for b in results["content"]] == [
            ("tool_result", i, "ok") for i in ids
        ]
    else:
        model, results = body["contents"][1], body["contents"][2]
        sent = [p["functionCall"] for p in model["parts"] if "functionCall" in p]
        assert [(f["id"], f["name"]) for f in sent] == [(c.id, c.name) for c in calls]
        assert results["role"] == "user"
        assert [p["functionResponse"] for p in results["parts"]] == [
            {"name": c.name, "id": c.id, "response": {"output": "ok"}} for c in calls
        ]
