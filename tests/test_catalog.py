"""The model catalog: data file -> generated module, never stale."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import get_args

from typedllm._catalog import OPENAI_MODELS, OpenAIChatModelName, OpenAIReasoningModelName
from typedllm._catalog._codegen import DATA_DIR, expected_files, load_models

ROOT = Path(__file__).resolve().parents[1]


def test_generated_files_are_up_to_date() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, content in expected_files().items()
        if path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"regenerate with `python scripts/generate_catalog.py`: {stale}"


def test_generator_script_check_mode_passes() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_catalog.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_literals_match_the_data_file() -> None:
    models = load_models("openai")
    chat = {m["name"] for m in models if m["family"] == "chat"}
    reasoning = {m["name"] for m in models if m["family"] == "reasoning"}
    assert set(get_args(OpenAIChatModelName)) == chat
    assert set(get_args(OpenAIReasoningModelName)) == reasoning
    assert set(OPENAI_MODELS) == chat | reasoning


def test_required_models_are_catalogued_in_the_right_family() -> None:
    for name in ["o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano"]:
        assert OPENAI_MODELS[name].reasoning, name
        assert not OPENAI_MODELS[name].temperature, name
    for name in ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"]:
        assert not OPENAI_MODELS[name].reasoning, name
        assert OPENAI_MODELS[name].temperature, name


def test_every_entry_has_capabilities_and_prices() -> None:
    data = json.loads((DATA_DIR / "openai.json").read_text())
    for entry in data["models"]:
        # A value the documentation read did not give is left out (unknown), never guessed.
        for key in ("context_window", "max_output_tokens", "input_price", "output_price"):
            value = entry.get(key)
            assert value is None or (isinstance(value, (int, float)) and value > 0), (
                entry["name"],
                key,
            )
        assert entry.get("max_output_tokens"), entry["name"]
        assert entry["structured_output"] in ("json_schema", "json_object", "none")
        if entry["family"] == "reasoning":
            assert entry["reasoning_efforts"], entry["name"]


def test_cost_uses_per_million_prices() -> None:
    info = OPENAI_MODELS["gpt-4o-mini"]
    assert info.cost(1_000_000, 1_000_000) == info.input_price + info.output_price  # type: ignore[operator]
