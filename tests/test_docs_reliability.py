"""docs/reliability.md: its examples run offline, in order, in one namespace (each asserts
what it shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("reliability.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 10


def test_the_examples_run_offline() -> None:
    run_blocks("reliability.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    namespace: dict[str, object] = {}
    broken = BLOCKS[1].replace('"anthropic:claude-haiku-4-5"', '"openai:gpt-4o-mini"')
    exec(compile(BLOCKS[0], "setup", "exec"), namespace)
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
