"""docs/openai-responses.md: its examples run offline, in order, in one namespace (each asserts
what it shows)."""

from __future__ import annotations

from _docs import python_blocks, run_blocks


def test_responses_doc_examples_run() -> None:
    blocks = python_blocks("openai-responses.md")
    assert len(blocks) == 3
    namespace = run_blocks("openai-responses.md", blocks)
    assert namespace["sent"]
