"""docs/web-streaming.md: its Python example runs offline against the example app (with the
web extra installed; skipped otherwise)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _docs import python_blocks, run_blocks

pytest.importorskip("starlette", reason="needs the web extra: pip install 'typedllm[web]'")

BLOCKS = python_blocks("web-streaming.md")
EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "web"


def test_the_document_has_its_example() -> None:
    assert len(BLOCKS) == 1
    assert BLOCKS[0].startswith("# requires: typedllm[web]")


def test_the_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    # the block imports the example as `app`, as it would from examples/web
    monkeypatch.syspath_prepend(str(EXAMPLE_DIR))
    monkeypatch.delitem(sys.modules, "app", raising=False)
    namespace = run_blocks("web-streaming.md", BLOCKS)
    assert namespace["final"].customer == "Initech"  # type: ignore[attr-defined]
