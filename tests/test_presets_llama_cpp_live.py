"""Optional lane: the llama_cpp_python preset against a real llama-cpp-python server.

The server and the ``gguf`` writer live in a separate virtual environment (llama-cpp-python
compiles llama.cpp; it is not a dependency of typedllm): ``$TYPEDLLM_LLAMA_PYTHON`` or
``<repo>/.venv-llama/bin/python``, made with
``python -m venv .venv-llama && .venv-llama/bin/pip install 'llama-cpp-python[server]' gguf``.
Without it the lane is skipped. A tiny random-weight llama model is written with ``gguf``
(byte-level vocabulary, one layer), served on 127.0.0.1 and stopped at the end.

What it checks is what the preset claims: the server enforces a schema sent as
``{"type": "json_object", "schema": ...}`` (the random model can only answer through the
grammar), rejects ``json_schema`` with HTTP 500, and the preset does not retry that 500.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import httpx
import pydantic
import pytest

import typedllm as tl
from typedllm.events import RequestSent

ROOT = Path(__file__).resolve().parents[1]
LLAMA_PYTHON = Path(
    os.environ.get("TYPEDLLM_LLAMA_PYTHON", ROOT / ".venv-llama" / "bin" / "python")
)

WRITE_MODEL = r"""
import sys
import numpy as np
import gguf

path = sys.argv[1]
rng = np.random.default_rng(0)
n_embd, n_ff, n_head, n_vocab = 16, 32, 2, 3 + 256
w = gguf.GGUFWriter(path, "llama")
w.add_name("typedllm-tiny")
w.add_context_length(4096)
w.add_embedding_length(n_embd)
w.add_block_count(1)
w.add_feed_forward_length(n_ff)
w.add_head_count(n_head)
w.add_head_count_kv(n_head)
w.add_rope_dimension_count(n_embd // n_head)
w.add_layer_norm_rms_eps(1e-5)
w.add_file_type(0)
w.add_tokenizer_model("llama")
tokens = [b"<unk>", b"<s>", b"</s>"] + [f"<0x{i:02X}>".encode() for i in range(256)]
w.add_token_list(tokens)
w.add_token_scores([0.0] * n_vocab)
w.add_token_types([2, 3, 3] + [6] * 256)  # unknown, control, control, bytes
w.add_bos_token_id(1)
w.add_eos_token_id(2)
w.add_unk_token_id(0)
w.add_add_bos_token(True)
w.add_chat_template(
    "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}assistant: "
)

def t(*shape):
    return (rng.standard_normal(shape) * 0.02).astype(np.float32)

w.add_tensor("token_embd.weight", t(n_vocab, n_embd))
w.add_tensor("output_norm.weight", np.ones(n_embd, dtype=np.float32))
w.add_tensor("output.weight", t(n_vocab, n_embd))
w.add_tensor("blk.0.attn_norm.weight", np.ones(n_embd, dtype=np.float32))
for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
    w.add_tensor(f"blk.0.{name}.weight", t(n_embd, n_embd))
w.add_tensor("blk.0.ffn_norm.weight", np.ones(n_embd, dtype=np.float32))
w.add_tensor("blk.0.ffn_gate.weight", t(n_ff, n_embd))
w.add_tensor("blk.0.ffn_up.weight", t(n_ff, n_embd))
w.add_tensor("blk.0.ffn_down.weight", t(n_embd, n_ff))
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()
"""


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("gguf")
    model = folder / "tiny.gguf"
    subprocess.run([str(LLAMA_PYTHON), "-c", WRITE_MODEL, str(model)], check=True)
    port = _free_port()
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
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
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama-cpp-python server exited: {tail}")
            try:
                if httpx.get(f"{base}/models", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama-cpp-python server did not start within 60 s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
