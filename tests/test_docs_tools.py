"""docs/tools.md: its examples run offline, in order, in one namespace (each asserts what it
shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("tools.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 8


def test_the_examples_run_offline() -> None:
    run_blocks("tools.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    namespace: dict[str, object] = {}
    for block in BLOCKS[:2]:
        exec(compile(block, "setup", "exec"), namespace)
    broken = BLOCKS[2].replace("temperature=21)", "temperature=22)")
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
