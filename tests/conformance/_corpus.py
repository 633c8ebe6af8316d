"""Locate the recorded real API traffic (``shared/conformance`` beside the repository)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def conformance_dir() -> Path:
    """``$TYPEDLLM_CONFORMANCE_DIR`` or ``<repo>/../shared/conformance``."""
    override = os.environ.get("TYPEDLLM_CONFORMANCE_DIR")
    return Path(override) if override else REPO.parent / "shared" / "conformance"


def load_cases(predicate: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Every recorded case matching ``predicate``, sorted by id. Fails loudly when the corpus is
    missing: these tests must never pass by testing nothing."""
    root = conformance_dir()
    if not (root / "INDEX.json").is_file():
        raise RuntimeError(
            f"conformance corpus not found at {root}; clone the repository next to shared/ "
            "or set TYPEDLLM_CONFORMANCE_DIR"
        )
    cases = []
    for path in sorted(root.glob("*/*/*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        if predicate(case):
            cases.append(case)
    return cases


def case_id(case: dict[str, Any]) -> str:
    """A readable test id."""
    return str(case["id"])
