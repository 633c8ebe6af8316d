"""The fake provider in auto mode answers what each dialect sends: patterns it can generate
for (lookarounds included), constraints a dialect moved into descriptions, and a clear typed
error where it cannot; paths the real APIs do not have get a 404 in the provider's shape."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

import httpx
import pydantic
import pytest
from pydantic import BaseModel, Field

import typedllm as tl
from typedllm.testing import FakeProvider, InstanceError, generate_instance, serve

_PYTHON_RE = pydantic.ConfigDict(regex_engine="python-re")  # pydantic's default has no lookaround


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$",  # pydantic 2.12's Decimal
        r"^(?!^[-+.]*$)[+-]?0*(?:\d{0,8}|(?=[\d.]{1,11}0*$)\d{0,8}\.\d{0,2}0*$)",
        r"^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{8,}$",
        r"^(?<tag>[a-z]{2})-(?:\d{3}|x)$",
        r"^(foo|bar)+baz$",
        r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
        r"^#[0-9a-fA-F]{6}$",
        r"^[A-Z][a-z]+(?: [A-Z][a-z]+)*$",
        r"^\u00e9\x41+$",
        r"^-?(?:0|[1-9]\d{0,3})(?:\.\d{1,2})?$",
    ],
)
def test_patterns_generate_matching_strings(pattern: str) -> None:
    value = generate_instance({"type": "string", "pattern": pattern})
    python_re = pattern.replace("(?<tag>", "(?P<tag>")  # ECMA-262 named group, in Python
    assert isinstance(value, str) and re.search(python_re, value), value


def test_pattern_and_length_together() -> None:
    schema = {"type": "string", "pattern": "^[a-z]+$", "minLength": 12, "maxLength": 14}
    value = generate_instance(schema)
    assert re.fullmatch("[a-z]{12,14}", value)


@pytest.mark.parametrize("pattern", [r"^\p{L}+$", "^(?=a)b$", "^[a-z]{3}$"])
def test_impossible_patterns_raise_a_clear_error(pattern: str) -> None:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}}
    if pattern == "^[a-z]{3}$":
        schema["properties"]["code"]["minLength"] = 5  # possible pattern, impossible length
    with pytest.raises(InstanceError) as info:
        generate_instance(schema)
    message = str(info.value)
    assert "code" in message and repr(pattern) in message and "script the reply" in message


def test_client_gets_a_typed_error_not_a_crash() -> None:
    class Word(BaseModel):
        word: Annotated[str, Field(pattern=r"^\p{L}+$")]  # fine for pydantic, not for Python re

    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    with pytest.raises(tl.BadRequestError, match=r"fake provider \(auto mode\).*pattern"):
        llm.complete("x", schema=Word)
    assert fake.calls == 1  # a 400 is not retried


class Account(BaseModel):
    model_config = _PYTHON_RE
    password: Annotated[str, Field(pattern=r"^(?=.*[A-Z])(?=.*\d).{8,}$")]
    handle: Annotated[str, Field(min_length=5, max_length=8)]


def test_openai_strict_moved_lookaround_still_answered_validly() -> None:
    fake = FakeProvider()
    llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(fake).build()
    account = llm.complete("x", schema=Account)
    sent = fake.requests[0].json["response_format"]["json_schema"]["schema"]
    assert "pattern" not in sent["properties"]["password"]  # moved into the description
    assert "maxLength" not in sent["properties"]["handle"]
    assert re.search(r"(?=.*[A-Z])(?=.*\d).{8,}", account.password)
    assert 5 <= len(account.handle) <= 8
    assert fake.calls == 1  # valid the first time: no re-ask


class Event(BaseModel):
    day: date
    at: datetime
    clock: time
    ident: uuid.UUID
    amount: Decimal


def test_gemini_openapi_formats_moved_to_descriptions_still_validate() -> None:
    fake = FakeProvider()
    llm = tl.gemini().model("gemini-1.5-pro").api_key("k").transport(fake).build()
    event = llm.complete("x", schema=Event)
    sent = fake.requests[0].json["generationConfig"]["responseSchema"]["properties"]
    assert "format" not in sent["day"] and "(format: date)" in sent["day"]["description"]
    assert isinstance(event.day, date) and isinstance(event.ident, uuid.UUID)
    assert fake.calls == 1


def test_anthropic_described_bounds_still_validate() -> None:
    class Score(BaseModel):
        value: Annotated[int, Field(ge=50, le=60)]
        tags: Annotated[list[str], Field(min_length=3)]

    fake = FakeProvider()
    llm = tl.anthropic().model("claude-sonnet-4-5").api_key("k").transport(fake).build()
    score = llm.complete("x", schema=Score)
    sent = fake.requests[0].json["output_config"]["format"]["schema"]["properties"]
    assert "minimum" not in sent["value"]
    assert 50 <= score.value <= 60 and len(score.tags) >= 3


class _Invoice(BaseModel):
    total: Decimal
    tax: Annotated[Decimal, Field(max_digits=6, decimal_places=2, ge=0)]


def test_auto_fake_answers_validate_in_string_mode() -> None:
    fake = FakeProvider()
    for builder in (tl.openai().model("gpt-4o-mini"), tl.gemini().model("gemini-2.5-flash")):
        invoice = (
            builder.api_key("k")
            .decimals("string")
            .transport(fake)
            .build()
            .complete("x", schema=_Invoice)
        )
        assert isinstance(invoice.total, Decimal)


# -- 404 for paths the real APIs do not have ----------------------------------------------------


def _respond(method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    body = b'{"model": "m", "messages": [{"role": "user", "content": "hi"}]}'
    status, _headers, payload = FakeProvider().respond(
        method, f"http://127.0.0.1{path}", headers or {}, body
    )
    return status, payload


@pytest.mark.parametrize(
    "path",
    [
        "/v1/chat/completions",
        "/openai/v1/chat/completions",
        "/v1beta/openai/chat/completions",
        "/v1/messages",
        "/v1beta/models/gemini-2.5-flash:generateContent",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent",
    ],
)
def test_real_endpoints_answer(path: str) -> None:
    assert _respond("POST", path)[0] == 200


@pytest.mark.parametrize(
    ("method", "path", "headers", "shape"),
    [
        ("POST", "/v1/v1/chat/completions", {}, "openai"),
        ("POST", "/v1/models", {}, "openai"),
        ("POST", "/v1//chat/completions", {}, "openai"),
        ("GET", "/v1/chat/completions", {}, "openai"),
        ("POST", "/v1/messages/count_tokens", {"anthropic-version": "2023-06-01"}, "anthropic"),
        ("POST", "/v1/complete", {"anthropic-version": "2023-06-01"}, "anthropic"),
        ("POST", "/v1beta/v1beta/models/gemini-2.5-flash:generateContent", {}, "gemini"),
        ("POST", "/models/gemini-2.5-flash:generateContent", {}, "gemini"),
        ("POST", "/v1beta/models/gemini-2.5-flash:embedText", {}, "gemini"),
    ],
)
def test_unknown_paths_are_404_in_the_provider_shape(
    method: str, path: str, headers: dict[str, str], shape: str
) -> None:
    status, payload = _respond(method, path, headers)
    assert status == 404
    body = json.loads(payload)
    if shape == "openai":
        assert body["error"]["message"] == f"Invalid URL ({method} {path})"
        assert body["error"]["type"] == "invalid_request_error"
    elif shape == "anthropic":
        assert body["type"] == "error" and body["error"]["type"] == "not_found_error"
    else:
        assert body["error"]["code"] == 404 and body["error"]["status"] == "NOT_FOUND"


def test_clients_with_a_doubled_version_segment_get_not_found() -> None:
    with serve() as server:
        llm = tl.openai().model("gpt-4o").api_key("k").base_url(server.base_url + "/v1").build()
        with llm, pytest.raises(tl.NotFoundError, match="Invalid URL"):
            llm.complete("x")
        anthropic = tl.anthropic().model("claude-sonnet-4-5").api_key("k")
        claude = anthropic.base_url(server.base_url).build()  # ends in /v1: /v1/v1/messages
        with claude, pytest.raises(tl.NotFoundError):
            claude.complete("x")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "GET"])
def test_server_answers_every_method_with_json(method: str) -> None:
    with serve() as server:
        response = httpx.request(method, server.base_url + "/files", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"Invalid URL ({method} /v1/files)"
