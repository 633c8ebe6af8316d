"""Shared by the live llama.cpp lanes: a tiny random-weight GGUF model and a local server.

``write_tiny_gguf(python, path)`` writes the model with the ``gguf`` package of the given
interpreter (the llama-cpp-python lane keeps ``gguf`` in its own virtual environment);
``running_server(...)`` starts a server on 127.0.0.1, waits a bounded time for it to answer
and always stops it.

The model is a one-layer llama with a byte-level vocabulary (``<unk>``, ``<s>``, ``</s>`` and
the 256 ``<0xNN>`` byte tokens) and random weights: its free text is noise, so a reply that
validates against a schema can only come from the server's grammar.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

__all__ = ["free_port", "running_server", "write_tiny_gguf"]

_WRITE_MODEL = r"""
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


def write_tiny_gguf(python: str | Path, path: Path) -> Path:
    """Write the tiny model to ``path`` with the ``gguf`` package of interpreter ``python``."""
    subprocess.run([str(python), "-c", _WRITE_MODEL, str(path)], check=True, timeout=120)
    return path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running_server(
    argv: Sequence[str],
    *,
    ready_url: str,
    log_path: Path,
    name: str,
    startup_timeout: float = 60.0,
) -> Iterator[None]:
    """Run ``argv`` until the block ends; ready once ``GET ready_url`` answers 200.

    A server that exits or is not ready within ``startup_timeout`` seconds fails the test with
    the tail of its log; the process is terminated (killed after 10 s) in every case.
    """
    with log_path.open("wb") as log:
        proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"{name} exited with {proc.returncode}: {tail}")
            try:
                if httpx.get(ready_url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"{name} was not ready within {startup_timeout:.0f} s: {tail}")
            time.sleep(0.3)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
