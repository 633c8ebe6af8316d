"""docs/models.md: its examples run offline, in order, in one namespace (each asserts what it
shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("models.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 4


def test_the_examples_run_offline() -> None:
    run_blocks("models.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    namespace: dict[str, object] = {}
    exec(compile(BLOCKS[0], "setup", "exec"), namespace)
    broken = BLOCKS[1].replace('== ["ft:gpt-4o-mini:acme:support-v2"]', "== []")
    assert broken != BLOCKS[1]
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
