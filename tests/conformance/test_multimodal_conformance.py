"""Every recorded multimodal case (feature or tag ``multimodal``) against typedllm's media
encoding: the media parts of the recorded request become typedllm parts, typedllm encodes them
on the same wire, and the media items of both bodies are compared semantically (kind, source
kind, media type, URL or file id, detail, and the bytes unless the recording trimmed them).
The recorded answers are decoded (errors as typed errors). Media the wire or the IR cannot
carry is a ConfigurationError before sending, which the recordings confirm where the provider
rejected it."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from _corpus import case_id, load_cases

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import anthropic as anthropic_codec
from typedllm.codecs import gemini as gemini_codec
from typedllm.codecs import openai_chat, openai_responses

CASES = load_cases(lambda c: c["feature"] == "multimodal" or "multimodal" in (c.get("tags") or ()))
TRIMMED = re.compile(r"<trimmed: \d+ chars of base64>")
# A tiny PNG signature for trimmed payloads (their bytes are not in the recording).
PLACEHOLDER = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

Item = tuple[Any, ...]  # (kind, source, media type, reference, detail)


def _g(d: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in d:
            return d[name]
    return None


def _data(text: str) -> bytes | None:
    """The bytes of a base64 payload; ``None`` when the recording trimmed them."""
    if TRIMMED.search(text):
        return None
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4))
    except ValueError:  # cut short by the recorder without a marker
        return None


def _kind(mime: str | None) -> str:
    mime = mime or ""
    return (
        "image"
        if mime.startswith("image/")
        else "audio"
        if mime.startswith("audio/")
        else "document"
    )


def _data_url(url: str) -> tuple[str, bytes | None]:
    head, _, payload = url.partition(",")
    return head[5:].split(";")[0], _data(payload)


# -- the media items of a body, per wire ------------------------------------------------------


def _chat_items(body: dict[str, Any]) -> Iterator[Item]:
    for message in body.get("messages") or ():
        content = message.get("content")
        for part in content if isinstance(content, list) else ():
            kind = part.get("type")
            if kind == "image_url":
                image = part["image_url"]
                url: str = image["url"]
                if url.startswith("data:"):
                    mime, data = _data_url(url)
                    yield ("image", "data", mime, data, image.get("detail"))
                else:
                    yield ("image", "url", None, url, image.get("detail"))
            elif kind == "file":
                file = part["file"]
                if "file_id" in file:
                    yield ("document", "file_id", None, file["file_id"], None)
                else:
                    yield ("document", "data", None, file["file_data"], None)
            elif kind == "input_audio":
                audio = part["input_audio"]
                yield ("audio", "data", audio["format"], _data(audio["data"]), None)
            elif kind == "video_url":
                yield ("video", "url", None, part["video_url"]["url"], None)


def _responses_parts(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in body.get("input") or ():
        content = item.get("content") if item.get("type") != "function_call_output" else None
        output = item.get("output") if item.get("type") == "function_call_output" else None
        yield from (content if isinstance(content, list) else []) + (
            output if isinstance(output, list) else []
        )


def _responses_items(body: dict[str, Any]) -> Iterator[Item]:
    for part in _responses_parts(body):
        kind = part.get("type")
        if kind == "input_image":
            if "file_id" in part:
                yield ("image", "file_id", None, part["file_id"], part.get("detail"))
            elif part["image_url"].startswith("data:"):
                mime, data = _data_url(part["image_url"])
                yield ("image", "data", mime, data, part.get("detail"))
            else:
                yield ("image", "url", None, part["image_url"], part.get("detail"))
        elif kind == "input_file":
            if "file_id" in part:
                yield ("file", "file_id", None, part["file_id"], None)
            elif "file_url" in part:
                yield ("file", "url", None, part["file_url"], None)
            else:
                yield ("file", "data", *_data_url(part["file_data"]), None)


def _anthropic_blocks(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for message in body.get("messages") or ():
        content = message.get("content")
        for block in content if isinstance(content, list) else ():
            yield block
            if block.get("type") == "tool_result" and isinstance(block.get("content"), list):
                yield from block["content"]


def _anthropic_items(body: dict[str, Any]) -> Iterator[Item]:
    for block in _anthropic_blocks(body):
        if block.get("type") not in ("image", "document"):
            continue
        source = block["source"]
        kind, how = block["type"], source["type"]
        if how == "url":
            yield (kind, "url", None, source["url"], block.get("title"))
        elif how == "file":
            yield (kind, "file_id", None, source["file_id"], block.get("title"))
        elif how == "text":
            yield (kind, "text", source["media_type"], source["data"], block.get("title"))
        else:
            yield (kind, "data", source["media_type"], _data(source["data"]), block.get("title"))


def _gemini_parts(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for content in body.get("contents") or ():
        for part in content.get("parts") or ():
            yield part
            response = _g(part, "functionResponse", "function_response")
            if isinstance(response, dict):
                yield from response.get("parts") or ()


def _gemini_items(body: dict[str, Any]) -> Iterator[Item]:
    for part in _gemini_parts(body):
        inline = _g(part, "inlineData", "inline_data")
        file = _g(part, "fileData", "file_data")
        if inline is not None:
            mime = _g(inline, "mimeType", "mime_type")
            yield (_kind(mime), "data", mime, _data(inline["data"]), None)
        elif file is not None:
            mime = _g(file, "mimeType", "mime_type")
            yield (_kind(mime), "url", mime, _g(file, "fileUri", "file_uri"), None)


# -- recorded items -> typedllm parts ---------------------------------------------------------


def _part(api: str, item: Item) -> tl.Part | None:
    """The typedllm part a recorded item means (``None``: the IR has no such part)."""
    kind, how, mime, ref, extra = item
    if kind == "video":
        return None
    data = (PLACEHOLDER if ref is None else ref) if how == "data" else None
    if how == "text":
        data = ref.encode()
    url = ref if how == "url" else None
    file_id = ref if how == "file_id" else None
    if kind == "file":  # a Responses input_file: audio by its extension, else a document
        kind = "audio" if str(ref).endswith((".mp3", ".wav")) else _kind(mime)
    if api == "chat_completions" and kind == "document" and how == "data":
        if str(ref).startswith("http"):  # OpenRouter takes a URL in file_data
            url, data = ref, None
        else:
            mime, data = _data_url(ref)
            data = data if data is not None else PLACEHOLDER
    if kind == "image":
        detail = extra if api in ("chat_completions", "responses") else None
        return tl.ImagePart(
            url=url,
            data=data,
            media_type=mime or ("image/png" if data else None),
            detail=detail,
            file_id=file_id,
        )
    if kind == "audio":
        return tl.AudioPart(url=url, data=data, media_type=mime or "audio/mpeg")
    title = extra if api == "anthropic_messages" else None
    return tl.DocumentPart(
        url=url, data=data, media_type=mime or "application/pdf", title=title, file_id=file_id
    )


ITEMS: dict[str, Callable[[dict[str, Any]], Iterator[Item]]] = {
    "chat_completions": _chat_items,
    "responses": _responses_items,
    "anthropic_messages": _anthropic_items,
    "gemini_generate_content": _gemini_items,
}


def _client(case: dict[str, Any]) -> tl.Client:
    api = case["api"]
    if api == "anthropic_messages":
        return tl.anthropic().model("claude-sonnet-4-5").api_key("k").build()
    if api == "gemini_generate_content":
        return tl.gemini().model("gemini-2.5-flash").api_key("k").build()
    builder: Any = tl.openai().model("gpt-4o").api_key("k")
    return builder.api("responses").build() if api == "responses" else builder.build()


def _comparable(items: list[Item], recorded: list[Item]) -> list[Item]:
    """Items with the bytes dropped where the recording trimmed them."""
    out: list[Item] = []
    for mine, theirs in zip(items, recorded, strict=False):
        if theirs[1] == "data" and theirs[3] is None:
            mine = (*mine[:3], None, *mine[4:])
        out.append(mine)
    return out + items[len(out) :]


def _wire(case: dict[str, Any]) -> WireResponse:
    r = case["response"]
    headers = {k.lower(): v for k, v in (r.get("headers") or {}).items()}
    return WireResponse(r["status"], headers, orjson.dumps(r["body"]))


def _unsupported_by_typedllm(case: dict[str, Any], recorded: list[Item]) -> str | None:
    """Why typedllm refuses this request before sending (checked in the test), or None."""
    if any(item[0] == "video" for item in recorded):
        return "video"
    if case["api"] == "chat_completions" and any(
        item[0] == "document" and item[1] == "data" and str(item[3]).startswith("http")
        for item in recorded
    ):
        return "by URL"  # OpenRouter's file_data URL: OpenAI's own wire takes bytes only
    if case["api"] == "responses" and any(
        item[0] == "file" and str(item[3]).endswith(".mp3") for item in recorded
    ):
        return "audio"  # the capability gate (gpt-4o takes no audio) or the wire refuses it
    return None


def test_the_corpus_has_the_multimodal_cases() -> None:
    assert len(CASES) >= 20
    assert {c["api"] for c in CASES} == set(ITEMS)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_media_parts_encode_like_the_recording(case: dict[str, Any]) -> None:
    api = case["api"]
    recorded = list(ITEMS[api](case["request"]["body"]))
    assert recorded, "a multimodal case must have media in its request"
    why = _unsupported_by_typedllm(case, recorded)
    if why == "video":
        assert all(_part(api, i) is None for i in recorded if i[0] == "video")
        return
    parts = [p for p in (_part(api, item) for item in recorded) if p is not None]
    client = _client(case)
    if why is not None:
        with pytest.raises(tl.ConfigurationError, match=why):
            client.request_for([tl.user(["Look:", *parts])])
        # The provider rejected what typedllm refuses up front (where it was sent at all).
        if api == "responses":
            assert case["response"]["status"] >= 400
        return
    request = client.request_for([tl.user(["Look:", *parts])])
    mine = list(ITEMS[api](orjson.loads(request.body)))
    if api == "responses":
        recorded = [("file", *i[1:]) if i[0] == "file" else i for i in recorded]
    assert _comparable(mine, recorded) == recorded


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_recorded_answers_decode(case: dict[str, Any]) -> None:
    api, provider = case["api"], case["provider"]
    codec: Any = {
        "chat_completions": openai_chat,
        "responses": openai_responses,
        "anthropic_messages": anthropic_codec,
        "gemini_generate_content": gemini_codec,
    }[api]
    if case["stream"]:
        pytest.skip("streamed answers are replayed by tests/conformance/test_stream_conformance.py")
    wire = _wire(case)
    if wire.status >= 400:
        error = codec.decode_error(provider, wire)
        assert isinstance(error, tl.APIStatusError) and error.status_code == wire.status
        return
    decoded = codec.decode(provider, wire)
    assert decoded.message.content or decoded.message.tool_calls
    assert decoded.finish_reason is not None
