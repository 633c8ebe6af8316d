"""docs/mcp.md: its examples run offline, in order, in one namespace, against the server the
document shows (its ``py`` block, written to ``weather_server.py`` in a temporary directory
and started as a subprocess over stdio)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from _docs import DOCS, python_blocks, run_blocks

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mcp") is None,
    reason="docs/mcp.md needs the mcp extra: pip install 'typedllm[mcp]'",
)

BLOCKS = python_blocks("mcp.md")


def _server_source() -> str:
    text = (DOCS / "mcp.md").read_text(encoding="utf-8")
    (server,) = [b for b in re.findall(r"```py\n(.*?)```", text, re.DOTALL) if "server.run" in b]
    return server


@pytest.fixture
def in_server_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "weather_server.py").write_text(_server_source(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_document_has_examples() -> None:
    assert len(BLOCKS) >= 4


def test_the_examples_run_offline(in_server_dir: Path) -> None:
    run_blocks("mcp.md", BLOCKS)


def test_an_example_that_is_wrong_fails(in_server_dir: Path) -> None:
    namespace: dict[str, object] = {}
    broken = BLOCKS[0].replace('"Lisbon: sunny for 2 day(s)"', '"Lisbon: rain"')
    assert broken != BLOCKS[0]
    with pytest.raises(AssertionError):
        exec(compile(broken, "broken", "exec"), namespace)
