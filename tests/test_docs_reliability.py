"""docs/reliability.md: its examples run offline, in order, in one namespace (each asserts
what it shows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typedllm.testing import block_network

DOC = Path(__file__).resolve().parents[1] / "docs" / "reliability.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 10


def test_the_examples_run_offline() -> None:
    namespace: dict[str, object] = {"__name__": "reliability_doc"}
    with block_network():
        for number, block in enumerate(BLOCKS, 1):
            try:
                exec(compile(block, f"{DOC.name} example {number}", "exec"), namespace)
            except Exception as error:  # pragma: no cover - the message names the block
                pytest.fail(f"example {number} failed: {type(error).__name__}: {error}\n{block}")


def test_an_example_that_is_wrong_fails() -> None:
    namespace: dict[str, object] = {}
    broken = BLOCKS[1].replace('"anthropic:claude-haiku-4-5"', '"openai:gpt-4o-mini"')
    exec(compile(BLOCKS[0], "setup", "exec"), namespace)
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
