"""The type-level contract: stubs/accept must type-check, every line in stubs/reject must fail.

Both checkers run: mypy --strict (with warn_unused_ignores, so a reject line that stops being an
error fails the run) and pyright strict (with type-ignore comments disabled and unnecessary
``# pyright: ignore`` comments reported as errors, for the same reason).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUBS = ROOT / "stubs"


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def _mypy(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args], ROOT)


def _pyright(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("pyright", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "pyright"]
    return _run([*cmd, "--pythonpath", sys.executable, *args], cwd)


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def test_mypy_accepts_and_rejects(mypy_cache: Path) -> None:
    result = _mypy(
        "--config-file", "stubs/mypy.ini", "stubs/accept", "stubs/reject", cache=mypy_cache
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_accepts_and_rejects() -> None:
    result = _pyright(cwd=STUBS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_clean_under_mypy_strict(mypy_cache: Path) -> None:
    result = _mypy("typedllm", cache=mypy_cache)
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_clean_under_pyright_strict() -> None:
    result = _pyright("typedllm", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_reject_line_carries_both_ignores() -> None:
    for path in sorted((STUBS / "reject").glob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "# type: ignore" in line or "# pyright: ignore" in line:
                assert re.search(r"# type: ignore\[[\w-]+\]", line), f"{path.name}:{number}"
                assert re.search(r"# pyright: ignore\[\w+", line), f"{path.name}:{number}"


def test_reject_harness_catches_a_gate_that_stopped_failing(
    tmp_path: Path, mypy_cache: Path
) -> None:
    """Sanity check of the harness: a reject line whose misuse is now allowed must fail both
    checkers (here: a valid call dressed up as a misuse)."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import typedllm as tl\n"
        'tl.openai().model("gpt-4o").temperature(0.5)  # type: ignore[misc]'
        "  # pyright: ignore[reportAttributeAccessIssue]\n"
    )
    mypy = _mypy("--config-file", "stubs/mypy.ini", str(probe), cache=mypy_cache)
    assert mypy.returncode != 0 and "unused-ignore" in mypy.stdout, mypy.stdout
    config = json.loads((STUBS / "pyrightconfig.json").read_text())
    config["include"] = ["."]
    config["extraPaths"] = [str(ROOT)]
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    pyright = _pyright(cwd=tmp_path)
    assert pyright.returncode != 0 and "Unnecessary" in pyright.stdout, pyright.stdout


def test_reject_harness_catches_a_missing_ignore(tmp_path: Path, mypy_cache: Path) -> None:
    """And a misuse without its ignore comment is reported by both checkers."""
    probe = tmp_path / "probe.py"
    probe.write_text('import typedllm as tl\ntl.openai().model("o3").temperature(0.5)\n')
    mypy = _mypy("--config-file", "stubs/mypy.ini", str(probe), cache=mypy_cache)
    assert mypy.returncode != 0 and "temperature" in mypy.stdout, mypy.stdout
    config = json.loads((STUBS / "pyrightconfig.json").read_text())
    config["include"] = ["."]
    config["extraPaths"] = [str(ROOT)]
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    pyright = _pyright(cwd=tmp_path)
    assert pyright.returncode != 0 and "temperature" in pyright.stdout, pyright.stdout
