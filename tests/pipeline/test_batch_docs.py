"""docs/batch.md: its examples run offline, in order, in one namespace (each asserts what it
shows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typedllm.testing import block_network

DOC = Path(__file__).resolve().parents[2] / "docs" / "batch.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_examples_run_offline() -> None:
    assert len(BLOCKS) >= 6
    namespace: dict[str, object] = {"__name__": "batch_doc"}
    with block_network():
        for number, block in enumerate(BLOCKS, 1):
            try:
                exec(compile(block, f"{DOC.name} example {number}", "exec"), namespace)
            except Exception as error:  # pragma: no cover - the message names the block
                pytest.fail(f"example {number} failed: {type(error).__name__}: {error}\n{block}")


def test_a_wrong_example_fails() -> None:
    namespace: dict[str, object] = {"__name__": "batch_doc"}
    exec(compile(BLOCKS[0], "setup", "exec"), namespace)
    broken = BLOCKS[1].replace("tl.RefusalError", "tl.TruncatedOutputError")
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
