"""Regenerate the generated parts of the per-provider pages, ``docs/providers/*.md``.

Usage: python scripts/generate_provider_pages.py [--check]

A page is hand-written prose with generated blocks between markers::

    <!-- generated:models:openai -->
    ...
    <!-- /generated -->

Only what lies between a marker pair is rewritten, so the prose around it survives
regeneration. The blocks come from the records the code itself uses, never from hand-typed
copies: the model tables from the catalog (``typedllm._catalog``, generated from
``typedllm/_catalog/data/*.json``), the facts tables from
``typedllm._builders._native.NATIVE_PROVIDERS`` (with the stream framing read from each
wire's codec), the compatible-host sections from ``typedllm.hosts.PRESETS`` (the entry
functions' parameters read from their signatures), and the Bedrock and Vertex AI ids from
``typedllm._catalog._cloud_models``. Each page must hold exactly the blocks :data:`PAGES`
names for it: a missing or unknown marker is an error, as is a catalog value this script has
no words for (so a new route or lifecycle cannot slip into the docs unexplained).
``tests/test_provider_pages.py`` fails when a page is stale.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "docs" / "providers"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the typedllm of this checkout, installed or not
END = "<!-- /generated -->"
_BLOCK = re.compile(
    r"<!-- generated:(?P<name>[a-z0-9:_-]+) -->\n(?P<body>.*?)" + re.escape(END), re.S
)

# The blocks of each page, in the order they appear.
PAGES: dict[str, tuple[str, ...]] = {
    "index.md": ("index",),
    "openai.md": ("facts:openai", "facts:openai-responses", "models:openai"),
    "anthropic.md": ("facts:anthropic", "models:anthropic"),
    "gemini.md": ("facts:gemini", "models:gemini"),
    "azure-openai.md": ("facts:azure",),
    "ollama.md": ("facts:ollama",),
    "cohere.md": ("facts:cohere", "models:cohere"),
    "bedrock.md": ("facts:bedrock", "cloud-ids:bedrock"),
    "vertex.md": ("facts:gemini-vertex", "facts:anthropic-vertex", "cloud-ids:vertex"),
    "compatible.md": ("presets",),
    "fake.md": (),
}

# The page of each native provider (``NativeProvider.cli``): a new provider needs a page.
PAGE_OF: dict[str, str] = {
    "openai": "openai.md",
    "openai-responses": "openai.md",
    "azure": "azure-openai.md",
    "anthropic": "anthropic.md",
    "bedrock": "bedrock.md",
    "anthropic-vertex": "vertex.md",
    "gemini": "gemini.md",
    "gemini-vertex": "vertex.md",
    "ollama": "ollama.md",
    "cohere": "cohere.md",
}

# What each catalog ``structured_output`` value sends, per provider.
_SCHEMA_ROUTE: dict[str, dict[str, str]] = {
    "openai": {
        "json_schema": "`json_schema` strict",
        "json_object": "`json_object` + schema in the prompt",
    },
    "anthropic": {
        "json_schema": "`output_config.format`",
        "tool": "forced tool",
    },
    "gemini": {
        "json_schema": "`responseJsonSchema`",
        "openapi": "`responseSchema` (OpenAPI subset)",
    },
    "cohere": {
        "json_schema": "`json_object` + `json_schema`",
        "json_object": "`json_object` + schema in the prompt",
    },
}

_PRESET_ROUTES = {
    "strict": '`response_format: {"type": "json_schema", ..., "strict": true}`',
    "json_schema": '`response_format: {"type": "json_schema", ..., "strict": false}`',
    "json_object": '`response_format: {"type": "json_object"}` + the schema in the instructions',
    "json_object_schema": '`response_format: {"type": "json_object", "schema": ...}`',
    "prompt": "no `response_format`: the schema in the instructions only",
}

_THINKING = {
    "enable_thinking": "`.thinking(True/False)` sends `enable_thinking: true/false`",
    "thinking_type": '`.thinking(True/False)` sends `thinking: {"type": "enabled"/"disabled"}`',
}

_LIFECYCLE = {None: "active", "legacy": "legacy", "deprecated": "deprecated", "retired": "retired"}


def _code(text: str) -> str:
    return f"`{text}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _tokens(value: int | None) -> str:
    if value is None:
        return "-"
    if value >= 1_000_000 and value % 1_000_000 == 0:
        return f"{value // 1_000_000}M"
    if value >= 1000 and value % 1000 == 0:
        return f"{value // 1000}k"
    return f"{value:,}"


def _price(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _native() -> dict[str, Any]:
    from typedllm._builders._native import NATIVE_PROVIDERS

    missing = [p.cli for p in NATIVE_PROVIDERS if p.cli not in PAGE_OF]
    if missing:
        raise ValueError(f"native providers without a page in PAGE_OF: {missing}")
    return {p.cli: p for p in NATIVE_PROVIDERS}


# -- facts: one native provider record -------------------------------------------------------


def facts(cli: str) -> str:
    """The facts table of one native provider record."""
    from typedllm._builders._native import stream_framing
    from typedllm._config import OpenAIChatOptions

    p = _native()[cli]
    chat = p.wire in ("openai-chat", "azure-openai-chat")
    if chat:
        usage = "asked for (`stream_options.include_usage`)"
        if not OpenAIChatOptions().stream_usage:
            usage = "not asked for"
    else:
        usage = "in the wire's own stream events"
    keys = ", ".join(_code(k) for k in p.key_env) or "none"
    rows = [
        ("Entry", _code(p.entry)),
        ("Wire (codec)", _code(p.wire)),
        ("Base URL", _code(p.base_url)),
        ("Credentials from", keys + " (first set wins)" if len(p.key_env) > 1 else keys),
        ("Schema sent in", _code(p.schema_field)),
        ("Structured output", f"{p.route}: {p.why}"),
        ("Streaming", f"{stream_framing(p.wire)}; usage {usage}"),
        ("Reference", f"[{p.title}]({p.doc_url})"),
    ]
    if p.notes:
        rows.append(("Notes", p.notes))
    return _table(("", ""), rows)


# -- models: the catalog ---------------------------------------------------------------------


def _entries(provider: str) -> list[dict[str, Any]]:
    """The data file's entries (snapshots not expanded), in file order."""
    from typedllm._catalog._codegen import DATA_DIR

    data = json.loads((DATA_DIR / f"{provider}.json").read_text(encoding="utf-8"))
    return list(data["models"])


def _status(info: Any) -> str:
    if info.lifecycle not in _LIFECYCLE:
        raise ValueError(f"{info.name}: no words for lifecycle {info.lifecycle!r}")
    words = _LIFECYCLE[info.lifecycle]
    if info.shutdown_date:
        words += f", shutdown {info.shutdown_date}"
    if info.replacement:
        words += f" (use `{info.replacement}`)"
    return words


def _model_notes(info: Any) -> str:
    notes: list[str] = []
    if info.apis == ("responses",):
        notes.append("Responses API only")
    if info.reasoning_efforts:
        notes.append("effort " + "/".join(info.reasoning_efforts))
    if info.thinking_mode:
        notes.append(f"thinking {info.thinking_mode}")
    elif info.thinking:
        notes.append("thinking")
    if info.thinking_budget:
        low, high = info.thinking_budget
        notes.append(f"budget {low}-{high}")
    if not info.temperature:
        notes.append("no temperature")
    inputs = [m for m in info.modalities_in if m != "text"]
    if inputs:
        notes.append("in: " + ", ".join(inputs))
    if not info.tools:
        notes.append("no tools")
    return "; ".join(notes) or "-"


def models(provider: str) -> str:
    """The catalog's models of ``provider``: one row per entry (its dated snapshots with it)."""
    from typedllm._catalog import lookup

    routes = _SCHEMA_ROUTE[provider]
    rows: list[tuple[str, ...]] = []
    for entry in _entries(provider):
        info = lookup(provider, entry["name"])
        if info is None:
            raise ValueError(f"{entry['name']} is in {provider}.json but not in the catalog")
        if info.structured_output not in routes:
            raise ValueError(f"{info.name}: no route words for {info.structured_output!r}")
        snapshots = ", ".join(_code(s) for s in entry.get("snapshots", ())) or "-"
        rows.append(
            (
                _code(info.name),
                snapshots,
                info.family,
                _tokens(info.context_window),
                _tokens(info.max_output_tokens),
                _price(info.input_price),
                _price(info.output_price),
                _price(info.cached_input_price),
                routes[info.structured_output],
                _model_notes(info),
                _status(info),
                info.as_of or "-",
            )
        )
    head = (
        "model",
        "snapshots",
        "family",
        "context",
        "max out",
        "in $/M",
        "out $/M",
        "cached in $/M",
        "schema sent as",
        "notes",
        "status",
        "as of",
    )
    return (
        _table(head, rows)
        + "\n\nPrices are USD per million tokens (`-`: not published, no cost is computed). "
        + f"Generated from `typedllm/_catalog/data/{provider}.json`; every entry names the "
        + "page and the day its values were read (`ModelInfo.source_url`, `ModelInfo.as_of`)."
    )


# -- cloud ids -------------------------------------------------------------------------------


def cloud_ids(platform: str) -> str:
    """The Bedrock ids or Vertex AI names the Anthropic builder knows, by catalog snapshot."""
    from typedllm._catalog import ANTHROPIC_MODELS
    from typedllm._catalog._cloud_models import ALIASES, BEDROCK_GEOGRAPHIES, CLOUD_SNAPSHOTS

    aliases: dict[str, list[str]] = {}
    for alias, snapshot in ALIASES.items():
        aliases.setdefault(snapshot, []).append(alias)
    rows: list[tuple[str, ...]] = []
    for snapshot, (bedrock, vertex) in CLOUD_SNAPSHOTS.items():
        info = ANTHROPIC_MODELS[snapshot]
        names = ", ".join(_code(n) for n in (snapshot, *aliases.get(snapshot, ())))
        cloud = _code(bedrock) if platform == "bedrock" else _code(vertex)
        rows.append((names, cloud, info.family))
    head = ("catalog name", "Bedrock model id" if platform == "bedrock" else "Vertex AI name")
    table = _table((*head, "family"), rows)
    if platform == "bedrock":
        geos = ", ".join(_code(g + ".") for g in BEDROCK_GEOGRAPHIES)
        table += (
            f"\n\nEach Bedrock id is also typed with an inference-profile prefix ({geos}); "
            "any other `<geo>.` prefix is accepted at run time."
        )
    return table


# -- presets ---------------------------------------------------------------------------------


def _signature(function: Callable[..., Any]) -> str:
    parts: list[str] = []
    star = False
    for param in inspect.signature(function).parameters.values():
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        parts.append(f"{param.name}={param.default!r}")
    return "(" + ", ".join(parts) + ")"


def presets() -> str:
    """One section per OpenAI-compatible host preset, in the presets' order."""
    import typedllm
    from typedllm.hosts import PRESETS

    sections: list[str] = []
    for p in PRESETS.values():
        entry = f"tl.{p.entry}{_signature(getattr(typedllm, p.entry))}"
        base = _code(p.base_url)
        if p.base_url_env:
            base += f" (override: `{p.base_url_env}`)"
        keys = ", ".join(_code(k) for k in p.key_env) or "no variable (`api_key_env=` names one)"
        keys += " (required)" if p.key_required else " (optional)"
        route = _PRESET_ROUTES[p.structured_output]
        rows = [
            ("Entry", _code(entry)),
            ("Base URL", base),
            ("Key from", keys),
            ("Schema sent as", route),
            ("Why", p.route_why),
        ]
        if p.strict_models:
            strict = ", ".join(_code(m + "*") for m in p.strict_models)
            rows.append(("Strict for", f"{strict} (`strict: true`)"))
        if p.inline_root_ref:
            rows.append(("Schema rewrite", "a root `$ref` is inlined before sending"))
        rows.append(
            (
                "Stream usage",
                "`stream_options.include_usage` sent"
                if p.stream_usage
                else "`stream_options` not sent",
            )
        )
        if p.rejected_fields:
            fields = ", ".join(_code(f) for f in sorted(p.rejected_fields))
            rows.append(("Rejected", f"{fields}: a `ConfigurationError` before any request"))
        if p.no_retry_statuses:
            codes = ", ".join(str(c) for c in sorted(p.no_retry_statuses))
            rows.append(("Not retried", f"HTTP {codes} (default retry policy only)"))
        if p.thinking:
            rows.append(("Thinking switch", _THINKING[p.thinking]))
        if p.headers:
            rows.append(("Headers", ", ".join(_code(f"{k}: {v}") for k, v in p.headers)))
        rows.append(("Embeddings", "`.embedding_model(...)`" if p.embeddings else "none"))
        rows.append(("Local server", "yes" if p.local else "no"))
        rows.append(("Reference", f"[{p.doc_url}]({p.doc_url})"))
        sections.append(f"### {p.title}\n\n" + _table(("", ""), rows))
    return "\n\n".join(sections)


# -- index -----------------------------------------------------------------------------------


def index() -> str:
    """The overview table: one row per native provider and one for the compatible hosts."""
    from typedllm._builders._native import stream_framing
    from typedllm.hosts import PRESETS

    rows: list[tuple[str, ...]] = []
    for cli, p in _native().items():
        page = PAGE_OF[cli]
        rows.append(
            (f"[{p.title}]({page})", _code(p.entry), p.route, stream_framing(p.wire), _code(cli))
        )
    entries = ", ".join(_code(f"tl.{p.entry}()") for p in PRESETS.values())
    rows.append(
        (
            f"[OpenAI-compatible hosts ({len(PRESETS)} presets)](compatible.md)",
            entries + ", `tl.openai_compatible(base_url)`",
            "per host: strict or non-strict `json_schema`, `json_object`, or the prompt",
            stream_framing("openai-chat"),
            "-",
        )
    )
    rows.append(
        (
            "[The fake provider](fake.md)",
            "`.transport(FakeProvider())` on any builder",
            "the wire of the builder it is plugged into",
            "as the real wire",
            "-",
        )
    )
    return _table(("page", "entry", "structured output", "streaming", "CLI name"), rows)


def block(name: str) -> str:
    """The text of one generated block, by marker name."""
    kind, _, arg = name.partition(":")
    if kind == "facts":
        return facts(arg)
    if kind == "models":
        return models(arg)
    if kind == "cloud-ids":
        return cloud_ids(arg)
    if kind == "presets" and not arg:
        return presets()
    if kind == "index" and not arg:
        return index()
    raise ValueError(f"unknown generated block {name!r}")


def render(page: str, text: str) -> str:
    """``text`` with every generated block of ``page`` rewritten (the prose kept as it is)."""
    found = [m.group("name") for m in _BLOCK.finditer(text)]
    wanted = list(PAGES[page])
    if found != wanted:
        raise ValueError(f"docs/providers/{page}: blocks {found}, expected {wanted}")
    return _BLOCK.sub(
        lambda m: f"<!-- generated:{m.group('name')} -->\n\n{block(m.group('name'))}\n\n{END}",
        text,
    )


def stale_pages() -> dict[Path, str]:
    """The pages whose text differs from what the generator makes, with the expected text."""
    out: dict[Path, str] = {}
    for page in PAGES:
        path = PAGES_DIR / page
        current = path.read_text(encoding="utf-8")
        expected = render(page, current)
        if expected != current:
            out[path] = expected
    return out


def main(argv: list[str]) -> int:
    stale = stale_pages()
    if not stale:
        return 0
    if "--check" in argv:
        for path in stale:
            print(f"stale: {path} (run python scripts/generate_provider_pages.py)")
        return 1
    for path, text in stale.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
