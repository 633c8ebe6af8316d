"""Configuration a provider would reject or a user would misread: Gemini's base URL with and
without its version segment, and a default system prompt combined with a call's own."""

from __future__ import annotations

import orjson
import pytest

import typedllm as tl


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        (
            "https://generativelanguage.googleapis.com",
            "https://generativelanguage.googleapis.com/v1beta",
        ),
        (
            "https://generativelanguage.googleapis.com/",
            "https://generativelanguage.googleapis.com/v1beta",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta",
            "https://generativelanguage.googleapis.com/v1beta",
        ),
        (
            "https://generativelanguage.googleapis.com/v1",
            "https://generativelanguage.googleapis.com/v1",
        ),
        ("https://proxy.example/gemini", "https://proxy.example/gemini/v1beta"),
        ("https://proxy.example/gemini/v1alpha/", "https://proxy.example/gemini/v1alpha"),
    ],
)
def test_gemini_base_url_with_or_without_its_version(base_url: str, expected: str) -> None:
    llm = tl.gemini().model("gemini-2.5-flash").api_key("g-key").base_url(base_url).build()
    url = llm.request_for("hi").url
    assert url == f"{expected}/models/gemini-2.5-flash:generateContent"


def test_gemini_base_url_keeps_its_query() -> None:
    llm = tl.gemini().model("gemini-2.5-flash").api_key("g").base_url("https://p.example?team=a")
    url = llm.build().request_for("hi").url
    assert url == "https://p.example/v1beta/models/gemini-2.5-flash:generateContent?team=a"


def _body(llm: tl.Client) -> dict[str, object]:
    request = llm.request_for([tl.system("answer in French"), tl.user("hi")])
    parsed: dict[str, object] = orjson.loads(request.body)
    return parsed


def test_default_and_call_system_prompts_are_both_sent_default_first() -> None:
    openai = tl.openai().model("gpt-4o-mini").api_key("k").system("be brief").build()
    messages = _body(openai)["messages"]
    assert messages == [
        {"role": "system", "content": "be brief"},
        {"role": "system", "content": "answer in French"},
        {"role": "user", "content": "hi"},
    ]
    anthropic = tl.anthropic().model("claude-sonnet-4-5").api_key("k").system("be brief").build()
    system = _body(anthropic)["system"]
    assert [block["text"] for block in system] == ["be brief", "answer in French"]  # type: ignore[attr-defined,index]
    gemini = tl.gemini().model("gemini-2.5-flash").api_key("k").system("be brief").build()
    instruction = _body(gemini)["systemInstruction"]
    assert [p["text"] for p in instruction["parts"]] == ["be brief", "answer in French"]  # type: ignore[index]
