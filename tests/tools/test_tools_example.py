"""examples/tools_loop.py runs offline on the fake provider."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_tools_example_runs_offline() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "tools_loop.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("offline")
    assert "approval needed: book_hotel({'city': 'Rome', 'nights': 3})" in lines
    assert "step 2: book_hotel({'city': 'Rome', 'nights': 3}) -> booked 3 night(s) in Rome" in lines
    assert lines[-1] == '{"city":"Rome","temperature":27,"booked":true}'
