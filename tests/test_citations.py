"""Citations are decoded onto the text they support, for the three wires.

Answer shapes from the providers' documentation: OpenAI ``message.annotations`` with
``url_citation`` (https://platform.openai.com/docs/guides/tools-web-search), Anthropic text
blocks with ``citations`` (https://docs.claude.com/en/docs/build-with-claude/citations),
Gemini ``citationMetadata`` and ``groundingMetadata``
(https://ai.google.dev/gemini-api/docs/google-search).
"""

from __future__ import annotations

from typing import Any

import orjson

import typedllm as tl
from typedllm._wire import WireResponse
from typedllm.codecs import anthropic, gemini, openai_chat


def _response(body: Any) -> WireResponse:
    return WireResponse(200, {"content-type": "application/json"}, orjson.dumps(body))


def test_openai_url_citations() -> None:
    body = {
        "id": "c1",
        "model": "gpt-4o-search-preview",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": "Oslo is the capital [1].",
                    "annotations": [
                        {
                            "type": "url_citation",
                            "url_citation": {
                                "url": "https://example.org/oslo",
                                "title": "Oslo",
                                "start_index": 20,
                                "end_index": 23,
                            },
                        }
                    ],
                },
            }
        ],
    }
    decoded = openai_chat.decode("openai", _response(body))
    (text,) = [p for p in decoded.parts if isinstance(p, tl.TextPart)]
    (citation,) = text.citations
    assert (citation.url, citation.title, citation.start, citation.end) == (
        "https://example.org/oslo",
        "Oslo",
        20,
        23,
    )


def test_anthropic_document_citations() -> None:
    body = {
        "id": "m1",
        "type": "message",
        "model": "claude-sonnet-4-5",
        "stop_reason": "end_turn",
        "content": [
            {"type": "text", "text": "According to the report, "},
            {
                "type": "text",
                "text": "sales grew 10%",
                "citations": [
                    {
                        "type": "char_location",
                        "cited_text": "Sales grew by 10% in 2024.",
                        "document_index": 0,
                        "document_title": "Annual report",
                        "start_char_index": 120,
                        "end_char_index": 146,
                    }
                ],
            },
        ],
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }
    decoded = anthropic.decode("anthropic", _response(body))
    assert decoded.text == "According to the report, sales grew 10%"
    cited = [c for p in decoded.parts if isinstance(p, tl.TextPart) for c in p.citations]
    assert [(c.cited_text, c.title, c.source, c.start, c.end) for c in cited] == [
        ("Sales grew by 10% in 2024.", "Annual report", "document:0", 120, 146)
    ]


def test_gemini_grounding_citations() -> None:
    body = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": "Spain won Euro 2024."}]},
                "finishReason": "STOP",
                "groundingMetadata": {
                    "groundingChunks": [{"web": {"uri": "https://uefa.example", "title": "uefa"}}],
                    "groundingSupports": [
                        {
                            "segment": {
                                "startIndex": 0,
                                "endIndex": 20,
                                "text": "Spain won Euro 2024.",
                            },
                            "groundingChunkIndices": [0],
                        }
                    ],
                },
            }
        ],
        "modelVersion": "gemini-2.5-flash",
    }
    decoded = gemini.decode("gemini", _response(body))
    (text,) = [p for p in decoded.parts if isinstance(p, tl.TextPart)]
    (citation,) = text.citations
    assert (citation.url, citation.title, citation.cited_text, citation.start, citation.end) == (
        "https://uefa.example",
        "uefa",
        "Spain won Euro 2024.",
        0,
        20,
    )


def test_completion_exposes_the_citations() -> None:
    from typedllm.testing import FakeProvider, FakeReply

    body = {
        "id": "c1",
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": "See [1].",
                    "annotations": [
                        {"type": "url_citation", "url_citation": {"url": "https://a.example"}}
                    ],
                },
            }
        ],
    }
    fake = FakeProvider([FakeReply.raw(200, body)])
    llm = tl.openai().model("gpt-4o").api_key("k").transport(fake).build()
    record = llm.completion("x")
    assert [c.url for c in record.citations] == ["https://a.example"]
