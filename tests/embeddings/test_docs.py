"""``docs/embeddings.md``: every example runs offline and asserts what it shows."""

from __future__ import annotations

import pytest

from tests._docs import python_blocks, run_blocks


def test_embeddings_doc_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OLLAMA_HOST", "OLLAMA_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    blocks = python_blocks("embeddings.md")
    assert len(blocks) >= 7
    namespace = run_blocks("embeddings.md", blocks)
    assert "embedder" in namespace
