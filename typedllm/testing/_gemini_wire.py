"""The fake provider's Gemini ``generateContent`` responder (request JSON in, response out)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .._jsonutil import as_dict, as_list
from ._instances import generate_instance
from ._native_fake import gemini_native
from ._replies import FakeReply
from ._tool_ids import call_id

__all__ = ["auto_reply", "openapi_to_json_schema", "render_reply"]


def openapi_to_json_schema(node: Any) -> Any:
    """Gemini's OpenAPI-subset ``responseSchema`` as JSON Schema (lower-case types, nullable)."""
    if isinstance(node, list):
        return [openapi_to_json_schema(v) for v in as_list(node)]
    if not isinstance(node, dict):
        return node
    src = as_dict(node)
    out: dict[str, Any] = {
        k: openapi_to_json_schema(v)
        for k, v in src.items()
        if k not in ("nullable", "propertyOrdering")
    }
    if isinstance(out.get("type"), str):
        out["type"] = str(out["type"]).lower()
        if src.get("nullable"):
            out["type"] = [out["type"], "null"]
    return out


def _schema(body: dict[str, Any]) -> dict[str, Any] | None:
    config = as_dict(body.get("generationConfig"))
    if isinstance(config.get("responseJsonSchema"), dict):
        return as_dict(config["responseJsonSchema"])
    if isinstance(config.get("responseSchema"), dict):
        return as_dict(openapi_to_json_schema(config["responseSchema"]))
    return None


def _texts(body: dict[str, Any], role: str) -> list[str]:
    out: list[str] = []
    for content in as_list(body.get("contents")):
        c = as_dict(content)
        if c.get("role", "user") == role:
            out.append("".join(str(as_dict(p).get("text", "")) for p in as_list(c.get("parts"))))
    return out


def auto_reply(body: dict[str, Any]) -> FakeReply:
    """Schema-valid data for structured requests, else an echo of the last user message."""
    schema = _schema(body)
    if schema is not None:
        seed = hashlib.sha256(json.dumps(body.get("contents"), sort_keys=True).encode()).hexdigest()
        return FakeReply.of_json(generate_instance(schema, seed=seed[:12]))
    users = _texts(body, "user")
    return FakeReply.of_text(f"[fake answer] {(users[-1] if users else '')[:200]}")


_FINISH = {"stop": "STOP", "length": "MAX_TOKENS", "content_filter": "SAFETY", "refusal": "SAFETY"}
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def render_reply(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a Gemini ``generateContent`` HTTP response."""
    headers = {"content-type": "application/json; charset=UTF-8"}
    headers.update(reply.headers)
    if reply.raw_body is not None:
        return reply.status, headers, reply.raw_body
    if reply.status >= 400:
        error = {
            "error": {
                "code": reply.status,
                "message": reply.error_message or "fake error",
                "status": reply.error_type or _STATUS.get(reply.status, "UNKNOWN"),
            }
        }
        return reply.status, headers, json.dumps(error).encode()
    finish = (
        "SAFETY" if reply.refusal_text is not None else _FINISH.get(reply.finish_reason, "STOP")
    )
    candidate: dict[str, Any] = {"finishReason": finish, "index": 0}
    parts: list[dict[str, Any]] = []
    if reply.text is not None and reply.refusal_text is None:
        users = _texts(body, "user")
        tool_parts, metadata = gemini_native(body, users[-1] if users else "", reply.text)
        # The built-in tools' parts, then the text.
        parts += [*tool_parts, {"text": reply.text}]
        candidate.update(metadata)
    # ``functionCall`` parts with the arguments as an object; finishReason stays STOP, as
    # recorded (conformance google/tool_call/*). Gemini 3 gives each call an ``id``.
    parts += [
        {
            "functionCall": {
                "name": c.name,
                "args": c.arguments_object(),
                "id": call_id(c, "fake", index, n),
            }
        }
        for n, c in enumerate(reply.calls)
    ]
    if parts:
        candidate["content"] = {"role": "model", "parts": parts}
    prompt = "".join(_texts(body, "user"))
    output = (reply.text or "") + "".join(c.name + c.arguments for c in reply.calls)
    prompt_tokens = (
        reply.input_tokens if reply.input_tokens is not None else max(1, len(prompt) // 4)
    )
    output_tokens = (
        reply.output_tokens if reply.output_tokens is not None else max(1, len(output) // 4)
    )
    response = {
        "candidates": [candidate],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": "gemini-fake",
        "responseId": f"fake{index:06d}",
    }
    return 200, headers, json.dumps(response).encode()


def render_stream(
    body: dict[str, Any], reply: FakeReply, index: int
) -> tuple[int, dict[str, str], bytes]:
    """Render ``reply`` as a ``streamGenerateContent?alt=sse`` stream."""
    status, headers, payload = render_reply(body, reply, index)
    if status != 200 or reply.raw_body is not None:
        return status, headers, payload
    full = json.loads(payload)
    candidate = full["candidates"][0]
    parts = candidate.get("content", {}).get("parts", [])
    text = "".join(p.get("text", "") for p in parts)
    pieces = [{"text": text[i : i + 8]} for i in range(0, len(text), 8)]
    # A function call arrives whole, one part per chunk (conformance google/stream_tool_call).
    pieces += [p for p in parts if "functionCall" in p]
    chunks: list[dict[str, Any]] = []
    # The built-in tools' parts (a function call is not one: it streams below, on its own).
    tool_parts = [p for p in parts if "text" not in p and "functionCall" not in p]
    if tool_parts:  # the built-in tools' parts come first, in a chunk of their own
        chunks.append(
            {
                "candidates": [{"content": {"role": "model", "parts": tool_parts}, "index": 0}],
                "modelVersion": full["modelVersion"],
                "responseId": full["responseId"],
            }
        )
    for piece in pieces:
        chunks.append(
            {
                "candidates": [{"content": {"role": "model", "parts": [piece]}, "index": 0}],
                "modelVersion": full["modelVersion"],
                "responseId": full["responseId"],
            }
        )
    chunks.append(
        {
            "candidates": [
                {
                    "finishReason": candidate["finishReason"],
                    "index": 0,
                    **{k: v for k, v in candidate.items() if k.endswith("Metadata")},
                }
            ],
            "usageMetadata": full["usageMetadata"],
            "modelVersion": full["modelVersion"],
            "responseId": full["responseId"],
        }
    )
    out = "".join(f"data: {json.dumps(c)}\r\n\r\n" for c in chunks)
    return 200, {**headers, "content-type": "text/event-stream"}, out.encode()
