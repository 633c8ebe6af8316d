"""Generate the typed catalog modules from the JSON data files.

The data files under ``data/`` are the single source of truth. This module renders:

* ``_catalog/_<provider>_models.py``: one ``Literal`` of model names per capability family and a
  ``dict`` of :class:`ModelInfo` records;
* the ``.model()`` overloads of the provider's builder, between the
  ``BEGIN GENERATED`` / ``END GENERATED`` markers (one overload per family, one ``like=``
  overload per family).

``scripts/generate_catalog.py`` writes the files; a test fails when the committed files differ
from what this module renders (a stale catalog).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BEGIN_MARKER",
    "END_MARKER",
    "PROVIDERS",
    "FamilySpec",
    "ProviderSpec",
    "load_models",
    "render_builder_overloads",
    "render_models_module",
    "splice_generated",
]

DATA_DIR = Path(__file__).parent / "data"
PACKAGE_DIR = Path(__file__).parent.parent
BEGIN_MARKER = "    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)"
END_MARKER = "    # END GENERATED: model overloads"


@dataclass(frozen=True)
class FamilySpec:
    """One capability family: its catalog key, Literal alias name and builder state marker."""

    family: str
    literal_name: str
    state: str
    doc: str


@dataclass(frozen=True)
class ProviderSpec:
    """How one provider's data file maps to generated names."""

    provider: str
    builder_class: str
    builder_module: str
    state_params: str
    """The builder's type arguments after the family, e.g. ``", P"``."""
    families: tuple[FamilySpec, ...]


PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        provider="openai",
        builder_class="OpenAIBuilder",
        builder_module="_builders/openai.py",
        state_params="",
        families=(
            FamilySpec(
                "chat",
                "OpenAIChatModelName",
                "ChatModel",
                "Sampling chat models: take temperature/top_p, no reasoning effort.",
            ),
            FamilySpec(
                "reasoning",
                "OpenAIReasoningModelName",
                "ReasoningModel",
                "Reasoning models: take a reasoning effort, no temperature/top_p.",
            ),
        ),
    ),
    ProviderSpec(
        provider="anthropic",
        builder_class="AnthropicBuilder",
        builder_module="_builders/anthropic.py",
        state_params=", Neutral",
        families=(
            FamilySpec(
                "thinking",
                "AnthropicThinkingModelName",
                "ThinkingModel",
                "Claude models with extended thinking.",
            ),
            FamilySpec(
                "standard",
                "AnthropicStandardModelName",
                "StandardModel",
                "Claude models without extended thinking.",
            ),
        ),
    ),
    ProviderSpec(
        provider="gemini",
        builder_class="GeminiBuilder",
        builder_module="_builders/gemini.py",
        state_params="",
        families=(
            FamilySpec(
                "thinking",
                "GeminiThinkingModelName",
                "ThinkingModel",
                "Gemini models with a thinking budget (2.5 family and newer).",
            ),
            FamilySpec(
                "standard",
                "GeminiStandardModelName",
                "StandardModel",
                "Gemini models without thinking (2.0 and older).",
            ),
        ),
    ),
)


def load_models(provider: str) -> list[dict[str, Any]]:
    """The provider's models with snapshots expanded into entries of their own, in file order."""
    data = json.loads((DATA_DIR / f"{provider}.json").read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    for entry in data["models"]:
        snapshots = entry.get("snapshots", [])
        base = {k: v for k, v in entry.items() if k != "snapshots"}
        out.append(base)
        out.extend({**base, "name": snap} for snap in snapshots)
    names = [m["name"] for m in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"duplicate model names in {provider}.json: {dupes}")
    return out


def _py(value: Any) -> str:
    """A Python literal in the project's formatting (double quotes, as ruff format writes)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        items = [_py(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return repr(value)


def _literal(names: list[str]) -> str:
    inner = "".join(f'    "{n}",\n' for n in names)
    return f"Literal[\n{inner}]"


def render_models_module(spec: ProviderSpec) -> str:
    """Source text of ``_catalog/_<provider>_models.py``."""
    models = load_models(spec.provider)
    lines = [
        f'"""Model names and capabilities for {spec.provider} (GENERATED: do not edit).',
        "",
        f"Source: ``_catalog/data/{spec.provider}.json``; regenerate with",
        "``python scripts/generate_catalog.py``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Literal, TypeAlias",
        "",
        "from ._model import ModelInfo",
        "",
    ]
    literal_names: list[str] = []
    for fam in spec.families:
        names = [m["name"] for m in models if m["family"] == fam.family]
        lines.append(f"{fam.literal_name}: TypeAlias = {_literal(names)}")
        lines.append(f'"""{fam.doc}"""')
        lines.append("")
        literal_names.append(fam.literal_name)
    all_name = f"{spec.builder_class.removesuffix('Builder')}ModelName"
    lines.append(f"{all_name}: TypeAlias = {' | '.join(literal_names)}")
    lines.append(f'"""Every catalogued {spec.provider} model name."""')
    lines.append("")
    const = f"{spec.provider.upper()}_MODELS"
    lines.append(f"{const}: dict[str, ModelInfo] = {{")
    for m in models:
        efforts = tuple(m.get("reasoning_efforts", ()))
        values = {
            "name": m["name"],
            "provider": spec.provider,
            "family": m["family"],
            "temperature": m.get("temperature", True),
            "structured_output": m.get("structured_output", "json_schema"),
            "tools": m.get("tools", True),
            "vision": m.get("vision", False),
            "reasoning_efforts": efforts,
            "context_window": m.get("context_window"),
            "max_output_tokens": m.get("max_output_tokens"),
            "input_price": m.get("input_price"),
            "output_price": m.get("output_price"),
        }
        if "thinking_budget" in m:
            values["thinking_budget"] = tuple(m["thinking_budget"])
        values["apis"] = tuple(m.get("apis", ("chat",)))
        values["modalities_in"] = tuple(m.get("modalities_in", ("text",)))
        values["modalities_out"] = tuple(m.get("modalities_out", ("text",)))
        for key in (
            "cached_input_price",
            "cache_write_price",
            "batch_input_price",
            "batch_output_price",
        ):
            if m.get(key) is not None:
                values[key] = m[key]
        args = [f"{key}={_py(value)}" for key, value in values.items()]
        lines.append(f"    {_py(m['name'])}: ModelInfo(")
        lines.extend(f"        {a}," for a in args)
        lines.append("    ),")
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def _overload(params: str, ret: str) -> list[str]:
    one_line = f"    def model(self, {params}) -> {ret}: ..."
    if len(one_line) <= 100:  # the project's line length (ruff format keeps it as is)
        return ["    @overload", one_line]
    return ["    @overload", "    def model(", f"        self, {params}", f"    ) -> {ret}: ..."]


def render_builder_overloads(spec: ProviderSpec) -> str:
    """The ``.model()`` overloads for the provider's builder (the text between the markers)."""
    out: list[str] = []
    for fam in spec.families:
        ret = f"{spec.builder_class}[{fam.state}{spec.state_params}]"
        out += _overload(f"name: {fam.literal_name}", ret)
    for fam in spec.families:
        ret = f"{spec.builder_class}[{fam.state}{spec.state_params}]"
        out += _overload(f"name: str, *, like: {fam.literal_name}", ret)
    return "\n".join(out)


def splice_generated(source: str, generated: str) -> str:
    """Replace the text between the markers in ``source`` with ``generated``."""
    start = source.index(BEGIN_MARKER) + len(BEGIN_MARKER)
    end = source.index(END_MARKER)
    return source[:start] + "\n" + generated + "\n" + source[end:]


def expected_files() -> dict[Path, str]:
    """Every generated file and the content it must have."""
    files: dict[Path, str] = {}
    for spec in PROVIDERS:
        files[PACKAGE_DIR / "_catalog" / f"_{spec.provider}_models.py"] = render_models_module(spec)
        builder_path = PACKAGE_DIR / spec.builder_module
        source = builder_path.read_text(encoding="utf-8")
        files[builder_path] = splice_generated(source, render_builder_overloads(spec))
    return files
