"""docs/pipelines.md: its examples run offline, in order, in one namespace (each asserts what
it shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("pipelines.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 6


def test_the_examples_run_offline() -> None:
    namespace = run_blocks("pipelines.md", BLOCKS)
    assert len(namespace["texts"]) == 20  # type: ignore[arg-type]


def test_an_example_that_is_wrong_fails() -> None:
    broken = BLOCKS[2].replace("== [1]", "== [0]")
    with pytest.raises(pytest.fail.Exception):
        run_blocks("pipelines.md", [BLOCKS[0], broken])
