"""Every ```python block of every docs page runs offline, in order, in one namespace per page
(tests/_docs.py), so no page of the site can rot.

Pages with a test of their own (which also checks what their examples show, or runs them in a
special setting: a Ray cluster, the CLI, a web app) are listed in ``OWN_TESTS`` and skipped
here; a test below checks the list is true. Blocks that cannot run offline (a real key, a
cloud project) are fenced ```py instead, with the reason in a comment.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _docs import DOCS, python_blocks, run_blocks

TESTS = Path(__file__).resolve().parent

# docs page -> the test file that runs its examples (found with
# grepping tests/ for python_blocks calls, plus test_cli.py, which runs pipelines-cli.md's shell
# blocks too).
OWN_TESTS = {
    "batch.md": "pipeline/test_batch_docs.py",
    "bedrock.md": "test_docs_bedrock.py",
    "cohere.md": "test_docs_cohere.py",
    "embeddings.md": "embeddings/test_docs.py",
    "fake-tools.md": "test_docs_fake_tools.py",
    "local-servers.md": "test_docs_local_servers.py",
    "mcp.md": "test_docs_mcp.py",
    "models.md": "test_docs_models.py",
    "multimodal.md": "test_docs_multimodal.py",
    "native-tools.md": "test_docs_native_tools.py",
    "observability.md": "test_docs_observability.py",
    "ollama.md": "test_docs_ollama.py",
    "openai-responses.md": "test_docs_responses.py",
    "pipelines-cli.md": "test_cli.py",
    "pipelines.md": "test_docs_pipelines.py",
    "prompt-caching.md": "test_docs_prompt_caching.py",
    "ray.md": "integrations/test_ray.py",
    "reliability.md": "test_docs_reliability.py",
    "tools.md": "test_docs_tools.py",
    "web-streaming.md": "examples/test_docs_web_streaming.py",
}
# Folders whose pages one test file runs, page by page.
OWN_FOLDERS = {"cookbook/": "test_docs_cookbook.py", "providers/": "test_docs_provider_pages.py"}


def _own_test(page: str) -> bool:
    return page in OWN_TESTS or any(page.startswith(folder) for folder in OWN_FOLDERS)


def _pages() -> list[str]:
    pages = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    return [p for p in pages if not _own_test(p) and python_blocks(p)]


PAGES = _pages()


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_run_offline(page: str) -> None:
    run_blocks(page, python_blocks(page))


def test_the_pages_written_for_the_site_have_examples() -> None:
    for page in ("index.md", "getting-started.md", "concepts/builders.md", "concepts/complete.md",
                 "concepts/errors.md", "concepts/streaming.md", "concepts/testing.md"):  # fmt: skip
        assert page in PAGES, f"docs/{page} has no ```python example"


def test_the_pages_with_their_own_test_are_run_there() -> None:
    for page, test in OWN_TESTS.items():
        source = (TESTS / test).read_text(encoding="utf-8")
        assert python_blocks(page), f"docs/{page} has no ```python block: drop it from OWN_TESTS"
        assert page in source, f"tests/{test} does not run docs/{page}"
    for folder, test in OWN_FOLDERS.items():
        source = (TESTS / test).read_text(encoding="utf-8")
        assert f'python_blocks(f"{folder}{{page}}")' in source, f"tests/{test} runs no {folder}"


def test_every_page_that_calls_python_blocks_is_listed() -> None:
    # A new test_docs_*.py file runs its page itself: list it, or this runner runs it twice.
    called = set()
    for test in TESTS.rglob("*.py"):
        called |= set(re.findall(r'python_blocks\("([^"]+)"\)', test.read_text(encoding="utf-8")))
    unlisted = sorted(page for page in called if not _own_test(page))
    assert unlisted == [], "these pages have a test of their own: list them"


def test_a_failing_block_fails() -> None:
    with pytest.raises(pytest.fail.Exception, match="example 2 failed: AssertionError"):
        run_blocks("broken.md", ["value = 1", "assert value == 2"])


def test_the_type_errors_shown_are_in_the_checked_contract() -> None:
    # docs/concepts/builders.md shows misuses as a ```py block (they are type errors, so not
    # run); each line must be a line of stubs/reject/, which the suite type-checks
    # (tests/test_type_contract.py), so the page cannot claim an error the checkers miss.
    text = (DOCS / "concepts" / "builders.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```py\n# Type errors: .*?\n(.*?)```", text, re.DOTALL)
    rejected = {
        line.strip()
        for path in (TESTS.parent / "stubs" / "reject").glob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
    }
    lines = block.strip().splitlines()
    assert len(lines) >= 6
    for line in lines:
        assert line in rejected, f"not a line of stubs/reject/: {line}"
