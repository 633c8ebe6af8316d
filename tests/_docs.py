"""Run a document's Python examples: in order, in one namespace, offline (each asserts what
it shows), so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from typedllm.testing import block_network

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(name: str) -> list[str]:
    """The ```python blocks of ``docs/<name>`` (indented ones too). A block that cannot run
    offline (it needs a real key, a cloud project, a placeholder of yours) is fenced ```py
    instead, which renders the same and is not run: say why in a comment in the block."""
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def run_blocks(name: str, blocks: list[str]) -> dict[str, object]:
    """Run ``blocks`` in order in one namespace with the network blocked; a failing block
    fails the test with its number and text."""
    namespace: dict[str, object] = {"__name__": name.replace(".", "_")}
    with block_network():
        for number, block in enumerate(blocks, 1):
            # dont_inherit: run the block as a reader would, without this module's
            # `from __future__ import annotations` (pydantic models would stay undefined).
            try:
                exec(compile(block, f"{name} ex. {number}", "exec", dont_inherit=True), namespace)
            except Exception as error:  # pragma: no cover - the message names the block
                pytest.fail(f"example {number} failed: {type(error).__name__}: {error}\n{block}")
    return namespace
