"""docs/batch.md: its examples run offline, in order, in one namespace (each asserts what it
shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("batch.md")


def test_the_examples_run_offline() -> None:
    assert len(BLOCKS) >= 6
    run_blocks("batch.md", BLOCKS)


def test_a_wrong_example_fails() -> None:
    broken = BLOCKS[1].replace("tl.RefusalError", "tl.TruncatedOutputError")
    with pytest.raises(pytest.fail.Exception, match="example 2 failed"):
        run_blocks("batch.md", [BLOCKS[0], broken])
