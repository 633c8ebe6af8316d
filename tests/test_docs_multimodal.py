"""docs/multimodal.md: its examples run offline, in order, in one namespace (each asserts what it
shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("multimodal.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 5


def test_the_examples_run_offline() -> None:
    run_blocks("multimodal.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    broken = [b.replace("assert ", "assert not ", 1) for b in BLOCKS]
    with pytest.raises(pytest.fail.Exception):
        run_blocks("multimodal.md", broken)
