"""docs/local-servers.md: its examples run offline, in order, in one namespace (each asserts
what it shows)."""

from __future__ import annotations

import pytest
from _docs import python_blocks, run_blocks

BLOCKS = python_blocks("local-servers.md")


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 1


def test_the_examples_run_offline() -> None:
    run_blocks("local-servers.md", BLOCKS)


def test_an_example_that_is_wrong_fails() -> None:
    broken = BLOCKS[0].replace('"include_usage": True', '"include_usage": False')
    assert broken != BLOCKS[0]
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), {})
