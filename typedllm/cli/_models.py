"""``typedllm models``: the model catalog as a table or as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import IO, Any

import orjson

from .._catalog import ANTHROPIC_MODELS, COHERE_MODELS, GEMINI_MODELS, OPENAI_MODELS, ModelInfo

__all__ = [
    "capabilities",
    "catalog_rows",
    "lifecycle",
    "print_models",
    "print_providers",
    "provider_rows",
]

_CATALOGS = {
    "openai": OPENAI_MODELS,
    "anthropic": ANTHROPIC_MODELS,
    "gemini": GEMINI_MODELS,
    "cohere": COHERE_MODELS,
}


def capabilities(info: ModelInfo) -> list[str]:
    """What a model can do, as short words (``reasoning``, ``vision``, ``tools`` ...)."""
    words: list[str] = []
    if info.reasoning:
        words.append("reasoning")
    if info.thinking:
        words.append("thinking")
    if info.structured_output != "none":
        words.append(f"schema:{info.structured_output}")
    if info.tools:
        words.append("tools")
    words.extend(m for m in info.modalities_in if m != "text")
    if info.vision and "image" not in info.modalities_in:
        words.append("vision")
    if not info.temperature:
        words.append("no-temperature")
    return words


def lifecycle(info: ModelInfo, today: dt.date | None = None) -> str:
    """The model's state in one word: ``shut-down`` once the provider stops serving it, else
    ``deprecated``/``legacy`` as the catalog records, ``-`` when active."""
    if info.is_shut_down(today):
        return "shut-down"
    return info.lifecycle or "-"


def catalog_rows(provider: str | None = None, search: str | None = None) -> list[ModelInfo]:
    """The catalog's models, by provider then name (one provider, names containing
    ``search``, when given)."""
    rows: list[ModelInfo] = []
    for name, catalog in _CATALOGS.items():
        if provider is not None and name != provider:
            continue
        for model in sorted(catalog):
            if search is None or search.lower() in model.lower():
                rows.append(catalog[model])
    return rows


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _tokens(value: int | None) -> str:
    if value is None:
        return "-"
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value // 1_000_000}M"
    if value >= 1000 and value % 1000 == 0:
        return f"{value // 1000}k"
    return str(value)


def _table(rows: Sequence[ModelInfo]) -> str:
    head = (
        "provider",
        "model",
        "capabilities",
        "status",
        "as of",
        "context",
        "max out",
        "in $/M",
        "out $/M",
    )
    today = dt.date.today()
    body = [
        (
            info.provider,
            info.name,
            " ".join(capabilities(info)),
            lifecycle(info, today),
            info.as_of or "-",
            _tokens(info.context_window),
            _tokens(info.max_output_tokens),
            _price(info.input_price),
            _price(info.output_price),
        )
        for info in rows
    ]
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    numeric = {5, 6, 7, 8}

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    return "\n".join([line(head), *(line(row) for row in body)]) + "\n"


def _json(rows: Sequence[ModelInfo]) -> str:
    records: list[dict[str, Any]] = []
    for info in rows:
        record = dataclasses.asdict(info)
        record["capabilities"] = capabilities(info)
        record["status"] = lifecycle(info)
        records.append(record)
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n"


def print_models(
    out: IO[str], *, provider: str | None = None, search: str | None = None, as_json: bool = False
) -> int:
    """Write the catalog to ``out``; return how many models were listed."""
    rows = catalog_rows(provider, search)
    out.write(_json(rows) if as_json else _table(rows))
    return len(rows)


def provider_rows() -> list[dict[str, Any]]:
    """Every provider ``--model`` may name: its name, how it is started, the key
    variable(s), the default base URL, an example model and whether it is a native wire,
    an OpenAI-compatible host preset, or one of ``openai-compatible``/``fake``."""
    from .._builders._native import NATIVE_PROVIDERS
    from ..hosts._presets import PRESETS

    rows: list[dict[str, Any]] = [
        {
            "provider": p.cli,
            "kind": "native",
            "entry": p.entry,
            "key_env": list(p.key_env),
            "base_url": p.base_url,
            "example": f"{p.cli}:{p.example_model}",
        }
        for p in NATIVE_PROVIDERS
    ]
    rows.append(
        {
            "provider": "openai-compatible",
            "kind": "compatible",
            "entry": "tl.openai_compatible(base_url)",
            "key_env": [],
            "base_url": "--base-url",
            "example": "openai-compatible:NAME",
        }
    )
    rows.extend(
        {
            "provider": p.entry,
            "kind": "local preset" if p.local else "preset",
            "entry": f"tl.{p.entry}()",
            "key_env": list(p.key_env),
            "base_url": p.base_url,
            "example": f"{p.entry}:NAME",
        }
        for p in PRESETS.values()
    )
    rows.append(
        {
            "provider": "fake",
            "kind": "offline",
            "entry": "typedllm.testing.FakeProvider",
            "key_env": [],
            "base_url": "-",
            "example": "fake:gpt-4o-mini",
        }
    )
    return rows


def print_providers(out: IO[str], *, as_json: bool = False) -> int:
    """Write the providers ``--model`` may name to ``out``; return how many."""
    rows = provider_rows()
    if as_json:
        out.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n")
        return len(rows)
    head = ("provider", "kind", "key variable", "base URL", "example")
    body = [
        (
            str(r["provider"]),
            str(r["kind"]),
            ", ".join(r["key_env"]) or "-",
            str(r["base_url"]),
            str(r["example"]),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    for row in (head, *body):
        out.write("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() + "\n")
    return len(rows)
