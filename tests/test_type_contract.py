"""The type-level contract, checked with both mypy --strict and pyright strict.

* ``stubs/accept``: code that must type-check clean; every result is pinned with ``assert_type``.
* ``stubs/reject``: one misuse per line, each carrying ``# type: ignore[<mypy code>]`` and
  ``# pyright: ignore[<rules>]``. mypy runs with ``--warn-unused-ignores``; pyright runs with
  ``enableTypeIgnoreComments: false`` (so mypy's comments do not silence it) and
  ``reportUnnecessaryTypeIgnoreComment: "error"``. A misuse that stops being an error therefore
  fails both checkers, and so does a misuse that fails for a different reason (other code/rule).
* The package itself must be clean under both checkers (root ``pyproject.toml`` settings).
* Meta-tests prove the harness is not vacuous: edited copies of a reject file and an accept file
  must make both checkers fail, on exactly the edited lines.
* ``stubs/gaps``: known holes in the contract, as an xfail(strict) test.

Run by hand from the repository root::

    python -m mypy --strict --warn-unused-ignores --config-file stubs/mypy.ini \
        stubs/accept stubs/reject
    pyright -p stubs                 # reads stubs/pyrightconfig.json
    python -m mypy --strict typedllm
    pyright typedllm
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUBS = ROOT / "stubs"
MYPY_STUB_FLAGS = ("--strict", "--warn-unused-ignores", "--config-file", str(STUBS / "mypy.ini"))


# -- running the checkers --------------------------------------------------------------------------


def _env() -> dict[str, str]:
    """The current environment, with this interpreter's scripts directory first on PATH."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600, check=False
    )


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(map(str, result.args))}\n{result.stdout}\n{result.stderr}"


def _mypy(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args], ROOT)


def _pyright(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pyright", path=_env()["PATH"])
    cmd = [exe] if exe else [sys.executable, "-m", "pyright"]
    # --pythonpath: resolve third-party imports (pydantic, httpx) in this interpreter's env.
    return _run([*cmd, "--pythonpath", sys.executable, *args], cwd)


def _pyright_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not produce JSON output:\n{_report(result)}")
    return data


def _mypy_error_lines(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int]]:
    return {
        (Path(m[1]).name, int(m[2]))
        for m in re.finditer(r"^(.+?\.py):(\d+): error:", result.stdout, re.MULTILINE)
    }


def _pyright_error_lines(data: dict[str, Any]) -> set[tuple[str, int]]:
    return {
        (Path(d["file"]).name, d["range"]["start"]["line"] + 1)
        for d in data["generalDiagnostics"]
        if d["severity"] == "error"
    }


def _pyright_project(directory: Path) -> None:
    """Write a pyrightconfig.json in ``directory``: the stubs settings, checking everything in
    it, with the repository root importable."""
    config = json.loads((STUBS / "pyrightconfig.json").read_text())
    config["include"] = ["."]
    config["extraPaths"] = [str(ROOT)]
    (directory / "pyrightconfig.json").write_text(json.dumps(config))


def _stub_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (STUBS / folder).glob("*.py"))


def _reject_lines() -> Iterator[tuple[Path, int, str]]:
    for path in _stub_files("reject"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "# type: ignore" in line or "# pyright: ignore" in line:
                yield path, number, line


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


# -- the contract ----------------------------------------------------------------------------------


def test_mypy_accepts_and_rejects(mypy_cache: Path) -> None:
    result = _mypy(*MYPY_STUB_FLAGS, "stubs/accept", "stubs/reject", cache=mypy_cache / "stubs")
    assert result.returncode == 0, _report(result)
    checked = len(_stub_files("accept", "reject"))
    assert f"no issues found in {checked} source files" in result.stdout, _report(result)


def test_pyright_accepts_and_rejects() -> None:
    result = _pyright("--outputjson", cwd=STUBS)
    data = _pyright_json(result)
    assert result.returncode == 0, _report(result)
    assert data["summary"]["errorCount"] == 0, _report(result)
    assert data["summary"]["filesAnalyzed"] == len(_stub_files("accept", "reject")), _report(result)


IGNORES = r"  # type: ignore\[[\w-]+(, ?[\w-]+)*\]  # pyright: ignore\[\w+"


def test_every_reject_line_names_its_codes() -> None:
    """Each misuse names the mypy code and pyright rules it must fail with, so it cannot pass
    for an unrelated reason (mypy also enforces ``ignore-without-code``)."""
    lines = list(_reject_lines())
    assert len(lines) >= 100, "the reject corpus shrank"
    for path, number, line in lines:
        where = f"{path.name}:{number}: {line}"
        assert re.search(IGNORES, line), where


def test_accept_files_pin_their_results() -> None:
    for path in _stub_files("accept"):
        if path.name != "__init__.py":
            assert "assert_type(" in path.read_text(), path.name


# -- the package itself ----------------------------------------------------------------------------


def test_package_is_clean_under_mypy_strict(mypy_cache: Path) -> None:
    result = _mypy("--strict", "typedllm", cache=mypy_cache / "package")
    assert result.returncode == 0, _report(result)


def test_package_is_clean_under_pyright_strict() -> None:
    result = _pyright("typedllm", cwd=ROOT)
    assert result.returncode == 0, _report(result)


# -- the harness is sound --------------------------------------------------------------------------

MISUSE = 'tl.openai().model("o3").temperature(0.7)'
PINNED = "assert_type(reasoning, tl.OpenAIBuilder[tl.ReasoningLowMediumHigh])"


def _line_of(text: str, needle: str) -> int:
    numbers = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle)]
    assert len(numbers) == 1, f"expected exactly one line starting with {needle!r}"
    return numbers[0]


def _replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def test_harness_fails_on_edited_copies(tmp_path: Path, mypy_cache: Path) -> None:
    """Copies of real stub files, each with one line edited, must fail both checkers on exactly
    that line (and nowhere else):

    * ``missing_ignore.py``: a reject line with its ignore comments removed (the misuse is
      reported);
    * ``stale_ignore.py``: a reject line whose misuse was made valid, comments kept (the unused
      ignores are reported);
    * ``wrong_assert.py``: an accept line whose ``assert_type`` names the wrong state.
    """
    reject = (STUBS / "reject" / "builders_openai.py").read_text()
    accept = (STUBS / "accept" / "builders_openai.py").read_text()
    misuse = _line_of(reject, MISUSE)
    comments = reject.splitlines()[misuse - 1][len(MISUSE) :]
    assert "# type: ignore[" in comments and "# pyright: ignore[" in comments
    pinned = _line_of(accept, PINNED)

    (tmp_path / "missing_ignore.py").write_text(_replace_line(reject, misuse, MISUSE))
    valid = MISUSE.replace('"o3"', '"gpt-4o"')
    (tmp_path / "stale_ignore.py").write_text(_replace_line(reject, misuse, valid + comments))
    wrong = PINNED.replace("ReasoningLowMediumHigh", "ChatModel")
    (tmp_path / "wrong_assert.py").write_text(_replace_line(accept, pinned, wrong))
    expected = {
        ("missing_ignore.py", misuse),
        ("stale_ignore.py", misuse),
        ("wrong_assert.py", pinned),
    }

    files = sorted(str(p) for p in tmp_path.glob("*.py"))
    mypy = _mypy(*MYPY_STUB_FLAGS, *files, cache=mypy_cache / "stubs")
    assert mypy.returncode != 0, _report(mypy)
    assert _mypy_error_lines(mypy) == expected, _report(mypy)
    assert 'Unused "type: ignore" comment' in mypy.stdout, _report(mypy)

    _pyright_project(tmp_path)
    pyright = _pyright("--outputjson", cwd=tmp_path)
    data = _pyright_json(pyright)
    assert pyright.returncode != 0, _report(pyright)
    assert _pyright_error_lines(data) == expected, _report(pyright)
    rules = {(Path(d["file"]).name, d.get("rule")) for d in data["generalDiagnostics"]}
    assert ("stale_ignore.py", "reportUnnecessaryTypeIgnoreComment") in rules, _report(pyright)
    assert ("missing_ignore.py", "reportAttributeAccessIssue") in rules, _report(pyright)
    assert ("wrong_assert.py", "reportAssertTypeFailure") in rules, _report(pyright)


# -- known gaps ------------------------------------------------------------------------------------


def _gap_reason(path: Path) -> str:
    docstring = path.read_text().split('"""')[1]
    return f"{path.name}: {docstring.strip().splitlines()[0]}"


@pytest.mark.parametrize(
    "gap",
    [
        pytest.param(
            path,
            id=path.stem,
            marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=_gap_reason(path)),
        )
        for path in _stub_files("gaps")
    ],
)
def test_known_gaps_are_closed(gap: Path, tmp_path: Path, mypy_cache: Path) -> None:
    """Every ``# GAP`` line of a stubs/gaps file should be an error under both checkers. Each
    file xfails while its gap is open; when the library closes it the test XPASSes, which fails
    the run (strict): move the lines to stubs/reject with their ignore comments."""
    marked = {
        (gap.name, number)
        for number, line in enumerate(gap.read_text().splitlines(), 1)
        if line.rstrip().endswith("# GAP")
    }
    assert marked, f"{gap.name} has no # GAP lines left"
    shutil.copy(gap, tmp_path / gap.name)
    mypy = _mypy(*MYPY_STUB_FLAGS, str(gap), cache=mypy_cache / "stubs")
    _pyright_project(tmp_path)
    pyright = _pyright("--outputjson", cwd=tmp_path)
    assert marked <= _mypy_error_lines(mypy), _report(mypy)
    assert marked <= _pyright_error_lines(_pyright_json(pyright)), _report(pyright)
