"""docs/native-tools.md: its examples run offline, in order, in one namespace (each asserts
what it shows)."""

from __future__ import annotations

from _docs import python_blocks, run_blocks

import typedllm as tl


def test_native_tools_doc_examples_run() -> None:
    blocks = python_blocks("native-tools.md")
    assert len(blocks) == 5
    namespace = run_blocks("native-tools.md", blocks)
    search = namespace["search"]
    assert isinstance(search, tl.WebSearchResult) and search.sources
    assert namespace["kinds"] == ["WebSearchResult", "FileSearchResult", "CodeExecutionResult"]
    follow_up = namespace["follow_up"]
    assert isinstance(follow_up, tl.Completion)
    assert follow_up.output == "[fake answer] And the release before it?"
