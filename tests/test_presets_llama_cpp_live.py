"""Optional lane: the llama_cpp_python preset against a real llama-cpp-python server.

The server and the ``gguf`` writer live in a separate virtual environment (llama-cpp-python
compiles llama.cpp; it is not a dependency of typedllm): ``$TYPEDLLM_LLAMA_PYTHON`` or
``<repo>/.venv-llama/bin/python``, made with
``python -m venv .venv-llama && .venv-llama/bin/pip install 'llama-cpp-python[server]' gguf``.
Without it the lane is skipped. A tiny random-weight llama model is written with ``gguf``
(byte-level vocabulary, one layer; ``tests/_llama_live.py``, shared with the llama-server
lane), served on 127.0.0.1 and stopped at the end.

What it checks is what the preset claims: the server enforces a schema sent as
``{"type": "json_object", "schema": ...}`` (the random model can only answer through the
grammar), rejects ``json_schema`` with HTTP 500, and the preset does not retry that 500.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pydantic
import pytest
from _llama_live import free_port, running_server, write_tiny_gguf

import typedllm as tl
from typedllm.events import RequestSent

ROOT = Path(__file__).resolve().parents[1]
LLAMA_PYTHON = Path(
    os.environ.get("TYPEDLLM_LLAMA_PYTHON", ROOT / ".venv-llama" / "bin" / "python")
)


def _has_server() -> bool:
    if not LLAMA_PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(LLAMA_PYTHON), "-c", "import llama_cpp.server, gguf, numpy"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _has_server(),
    reason=f"no llama-cpp-python server at {LLAMA_PYTHON} (optional lane: python -m venv "
    ".venv-llama && .venv-llama/bin/pip install 'llama-cpp-python[server]' gguf)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gguf")
    model = write_tiny_gguf(LLAMA_PYTHON, folder / "tiny.gguf")
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    argv = [
        str(LLAMA_PYTHON),
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
    ]
    with running_server(
        argv,
        ready_url=f"{base}/models",
        log_path=folder / "server.log",
        name="llama-cpp-python server",
    ):
        yield base


class Verdict(pydantic.BaseModel):
    ok: bool
    grade: Literal["a", "b", "c"]


def test_json_object_with_schema_is_accepted_and_enforced(server: str) -> None:
    with tl.llama_cpp_python(server).model("tiny").max_tokens(256).timeout(120).build() as llm:
        request = llm.request_for("grade it", schema=Verdict)
        assert b'"type":"json_object","schema"' in request.body
        # A random-weight model can only produce this through the server's grammar (the
        # vocabulary is bytes, so the schema instructions alone cost some 500 tokens).
        for _ in range(2):
            assert isinstance(llm.complete("grade it", schema=Verdict), Verdict)


def test_json_schema_is_rejected_with_a_500_that_is_not_retried(server: str) -> None:
    sent: list[RequestSent] = []
    llm = (
        tl.llama_cpp_python(server)
        .model("tiny")
        .structured_output("json_schema")
        .max_tokens(16)
        .max_reasks(0)
        .on_event(lambda e: sent.append(e) if isinstance(e, RequestSent) else None)
        .build()
    )
    with llm, pytest.raises(tl.InternalServerError):
        llm.complete("grade it", schema=Verdict)
    assert len(sent) == 1, sent
