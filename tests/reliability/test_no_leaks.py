"""Nothing leaks: a pickled client never holds its key in clear, no repr shows a credential,
the ``typedllm`` logger never writes one; a closed client never reopens silently."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import textwrap

import pytest

import typedllm as tl
from typedllm.testing import FakeProvider

KEY = "sk-live-abcdef0123456789"


def test_a_key_from_the_environment_is_not_in_the_pickle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    llm = tl.openai().model("gpt-4o-mini").build()
    data = pickle.dumps(llm)
    assert KEY.encode() not in data
    assert b"OPENAI_API_KEY" in data
    # Here (same environment) the copy works with the same key.
    copy = pickle.loads(data)
    assert copy.request_for("hi").headers["authorization"] == f"Bearer {KEY}"


def test_the_receiving_process_reads_its_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    data = pickle.dumps(tl.openai().model("gpt-4o-mini").build())
    script = textwrap.dedent(
        """
        import pickle, sys
        llm = pickle.loads(sys.stdin.buffer.read())
        print(llm.request_for("hi").headers["authorization"])
        """
    )
    env = {"OPENAI_API_KEY": "sk-worker-key-999", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], input=data, capture_output=True, env=env, check=True
    )
    assert done.stdout.decode().strip() == "Bearer sk-worker-key-999"


def test_a_receiver_without_the_variable_gets_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    data = pickle.dumps(tl.openai().model("gpt-4o-mini").build())
    monkeypatch.delenv("OPENAI_API_KEY")
    copy = pickle.loads(data)
    with pytest.raises(tl.ConfigurationError, match="OPENAI_API_KEY"):
        copy.complete("hi")


def test_an_explicit_key_refuses_to_be_pickled() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key(KEY).build()
    with pytest.raises(tl.ConfigurationError) as caught:
        pickle.dumps(llm)
    # Also what pickling code expects of an object that cannot be pickled.
    assert isinstance(caught.value, pickle.PicklingError)
    assert isinstance(caught.value, TypeError)
    message = str(caught.value)
    assert KEY not in message
    assert "environment" in message and "picklable=True" in message


def test_an_explicit_key_can_be_shipped_on_purpose() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key(KEY, picklable=True).build()
    copy = pickle.loads(pickle.dumps(llm))
    assert copy.request_for("hi").headers["authorization"] == f"Bearer {KEY}"


def test_a_credential_header_refuses_to_be_pickled_and_never_shows() -> None:
    builder = tl.openai().model("gpt-4o-mini").api_key(KEY, picklable=True).header("x-api-key", KEY)
    llm = builder.build()
    with pytest.raises(tl.ConfigurationError):
        pickle.dumps(llm)
    for text in (repr(builder), repr(llm), repr(llm.config), str(llm.config)):
        assert KEY not in text
    assert KEY not in repr(llm.request_for("hi"))


def test_a_plain_header_pickles() -> None:
    llm = (
        tl.openai().model("gpt-4o-mini").api_key(KEY, picklable=True).header("x-team", "a").build()
    )
    copy = pickle.loads(pickle.dumps(llm))
    assert copy.request_for("hi").headers["x-team"] == "a"


def test_userinfo_in_the_base_url_never_shows() -> None:
    builder = (
        tl.openai_compatible("https://user:hunter2-password@proxy.example/v1")
        .model("m")
        .api_key(KEY)
    )
    llm = builder.build()
    for text in (repr(builder), repr(llm), repr(llm.config), str(llm.config)):
        assert "hunter2-password" not in text
        assert KEY not in text


def test_debug_logs_never_hold_a_credential(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeProvider(["ok", "ok"])
    llm = (
        tl.openai()
        .model("gpt-4o-mini")
        .api_key(KEY)
        .header("x-api-key", "hdr-secret-7777")
        .transport(fake)
        .build()
    )
    with caplog.at_level(logging.DEBUG, logger="typedllm"):
        assert llm.complete("hi") == "ok"
        with llm.stream("hi") as stream:
            assert "".join(stream) == "ok"
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records, "the typedllm logger wrote nothing at DEBUG"
    assert KEY not in logged
    assert "hdr-secret-7777" not in logged


# -- closed clients ------------------------------------------------------------------------


def test_a_call_after_close_is_an_error() -> None:
    fake = FakeProvider(["ok"])
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(fake).build()
    with llm:
        assert llm.complete("hi") == "ok"
    with pytest.raises(tl.ClientClosedError, match=r"closed with close\(\)"):
        llm.complete("hi")
    with pytest.raises(tl.ClientClosedError):
        llm.stream("hi")
    assert fake.calls == 1


async def test_an_async_call_after_aclose_is_an_error() -> None:
    fake = FakeProvider(["ok", "sync"])
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-t").transport(fake).build()
    async with llm:
        assert await llm.acomplete("hi") == "ok"
    with pytest.raises(tl.ClientClosedError, match=r"aclose\(\)"):
        await llm.acomplete("hi")
    with pytest.raises(tl.ClientClosedError):
        llm.astream("hi")
    assert fake.calls == 1
    # The sides close apart: the synchronous one is still open, until close().
    assert not llm.closed
    assert llm.complete("hi") == "sync"
    llm.close()
    assert llm.closed


def test_a_closed_client_pickles_as_a_fresh_one() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-t", picklable=True).build()
    llm.close()
    copy = pickle.loads(pickle.dumps(llm))
    assert copy.request_for("hi").url.endswith("/chat/completions")
    assert not copy._sync_closed  # pyright: ignore[reportPrivateUsage]
