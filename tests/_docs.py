"""Run a document's Python examples: in order, in one namespace, offline (each asserts what
it shows), so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typedllm.testing import block_network

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(name: str) -> list[str]:
    """The ```python blocks of ``docs/<name>``."""
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def run_blocks(name: str, blocks: list[str]) -> dict[str, object]:
    """Run ``blocks`` in order in one namespace with the network blocked; a failing block
    fails the test with its number and text."""
    namespace: dict[str, object] = {"__name__": name.replace(".", "_")}
    with block_network():
        for number, block in enumerate(blocks, 1):
            try:
                # dont_inherit: the examples run as a reader's script would, not under this
                # file's `from __future__ import annotations` (which would turn their
                # annotations into strings pydantic cannot resolve in an exec'd namespace).
                code = compile(block, f"{name} example {number}", "exec", dont_inherit=True)
                exec(code, namespace)
            except Exception as error:  # pragma: no cover - the message names the block
                pytest.fail(f"example {number} failed: {type(error).__name__}: {error}\n{block}")
    return namespace
