"""docs/cookbook/*.md: every page's examples run offline, in order, in one namespace per page
(each asserts what it shows); the type-checking recipe's rejected snippet fails mypy with the
codes and messages the page quotes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _docs import DOCS, python_blocks, run_blocks

PAGES = sorted(p.name for p in (DOCS / "cookbook").glob("*.md") if p.name != "index.md")


def test_every_recipe_is_listed_in_the_index() -> None:
    index = (DOCS / "cookbook" / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\(([\w-]+\.md)\)", index))
    assert linked == set(PAGES)
    assert len(PAGES) == 7


@pytest.mark.parametrize("page", PAGES)
def test_the_page_has_examples(page: str) -> None:
    assert python_blocks(f"cookbook/{page}"), f"{page} has no ```python block"


@pytest.mark.parametrize("page", PAGES)
def test_the_examples_run_offline(page: str) -> None:
    run_blocks(f"cookbook/{page}", python_blocks(f"cookbook/{page}"))


def test_an_example_that_is_wrong_fails() -> None:
    blocks = python_blocks("cookbook/extraction.md")
    broken = [blocks[0], blocks[1].replace("invoice.total == 292.0", "invoice.total == 293.0")]
    assert broken[1] != blocks[1]
    with pytest.raises(pytest.fail.Exception):
        run_blocks("cookbook/extraction.md", broken)


# -- the type-checking recipe: the quoted checker output is the checkers' real output ------------

TYPE_PAGE = (DOCS / "cookbook" / "type-checking-ci.md").read_text(encoding="utf-8")


def _block(fence: str, marker: str) -> str:
    """The ```<fence> block of the type-checking page that contains ``marker``."""
    (block,) = [
        b for b in re.findall(rf"```{fence}\n(.*?)```", TYPE_PAGE, re.DOTALL) if marker in b
    ]
    return block


def _typed_examples() -> dict[str, str]:
    """Each recipe's Python blocks as one module (for the type-checking page, only its first
    block: the others misuse the builders on purpose, to show the run-time errors)."""
    modules = {}
    for page in PAGES:
        blocks = python_blocks(f"cookbook/{page}")
        if page == "type-checking-ci.md":
            blocks = blocks[:1]
        modules[f"recipe_{page.removesuffix('.md').replace('-', '_')}.py"] = "\n\n".join(blocks)
    return modules


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """mypy --strict on the page's rejected.py and every recipe's examples, and pyright strict
    on rejected.py (all the recipes would double its time), run side by side: (the directory,
    mypy's output, pyright's output)."""
    where = tmp_path_factory.mktemp("cookbook-types")
    files = {"rejected.py": _block("py", "# rejected.py"), **_typed_examples()}
    for name, text in files.items():
        (where / name).write_text(text, encoding="utf-8")
    (where / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict"}')
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(where / ".mypy")]
    pyright_exe = shutil.which("pyright", path=str(Path(sys.executable).parent))
    pyright = [pyright_exe] if pyright_exe else [sys.executable, "-m", "pyright"]
    running = [
        subprocess.Popen(
            command, cwd=where, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for command in (
            [*mypy, *files],
            [*pyright, "--pythonpath", sys.executable, "rejected.py"],
        )
    ]
    mypy_out, pyright_out = (process.communicate(timeout=300)[0] for process in running)
    return where, mypy_out, pyright_out


def test_the_checkers_say_what_the_page_quotes(checked: tuple[Path, str, str]) -> None:
    where, mypy_out, pyright_out = checked
    snippet = _block("py", "# rejected.py").splitlines()

    # Every line marked `# E: <code>` is a mypy error with that code, and no other line is.
    expected = {
        n: m.group(1)
        for n, line in enumerate(snippet, 1)
        if (m := re.search(r"# E: ([\w-]+)", line))
    }
    errors = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"^rejected\.py:(\d+): error: .*\[([\w-]+)\]$", mypy_out, re.M)
    }
    assert errors == expected, mypy_out
    revealed = {
        n: m.group(1)
        for n, line in enumerate(snippet, 1)
        if (m := re.search(r"# revealed: (.+)$", line))
    }
    for n, type_name in revealed.items():
        assert f'rejected.py:{n}: note: Revealed type is "{type_name}"' in mypy_out, mypy_out

    # The quoted outputs are verbatim lines of the real ones (mypy's summary also counts the
    # recipes' files, checked with it: only the number of errors is compared).
    mypy_lines = set(mypy_out.splitlines())
    for line in _block("text", "Found ").splitlines():
        if line.startswith("Found "):
            assert re.search(rf"^{re.escape(line.split(' (')[0])} \(checked", mypy_out, re.M)
        else:
            assert line in mypy_lines, f"mypy did not print: {line}\n{mypy_out}"
    prefix = str(where) + "/"
    pyright_lines = {line.strip().replace(prefix, "") for line in pyright_out.splitlines()}
    for line in _block("text", " - error: ").splitlines():
        assert line.strip() in pyright_lines, f"pyright did not print: {line}\n{pyright_out}"


def test_the_recipes_type_check(checked: tuple[Path, str, str]) -> None:
    """Every recipe's examples are clean under mypy --strict."""
    _, mypy_out, _ = checked
    for name in _typed_examples():
        assert f"{name}:" not in mypy_out, mypy_out
