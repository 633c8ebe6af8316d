"""Generate the typed catalog modules from the JSON data files.

The data files under ``data/`` are the single source of truth. This module renders:

* ``_catalog/_<provider>_models.py``: one ``Literal`` of model names per capability family and a
  ``dict`` of :class:`ModelInfo` records;
* the ``.model()`` overloads of the provider's builder, between the
  ``BEGIN GENERATED`` / ``END GENERATED`` markers (one overload per family, a ``like=`` overload
  that rejects listed names, one ``like=`` overload per family);
* for a family split by reasoning effort (OpenAI's reasoning models), one ``Literal`` of names
  and one state class (``_builders/_states.py``) per distinct set of effort levels, so
  ``.reasoning_effort()`` takes exactly the levels the chosen model accepts.

``scripts/generate_catalog.py`` writes the files; a test fails when the committed files differ
from what this module renders (a stale catalog).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "BEGIN_MARKER",
    "END_MARKER",
    "PROVIDERS",
    "STATES_BEGIN_MARKER",
    "STATES_END_MARKER",
    "EffortSet",
    "FamilySpec",
    "ProviderSpec",
    "check_entry",
    "effort_sets",
    "load_models",
    "render_builder_overloads",
    "render_effort_overloads",
    "render_effort_states",
    "render_models_module",
    "render_summary_overloads",
    "splice_generated",
]

DATA_DIR = Path(__file__).parent / "data"
PACKAGE_DIR = Path(__file__).parent.parent
BEGIN_MARKER = "    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)"
END_MARKER = "    # END GENERATED: model overloads"
STATES_BEGIN_MARKER = "# BEGIN GENERATED: effort states (scripts/generate_catalog.py)"
STATES_END_MARKER = "# END GENERATED: effort states"
STATES_MODULE = "_builders/_states.py"
EFFORT_BEGIN_MARKER = (
    "    # BEGIN GENERATED: reasoning_effort overloads (scripts/generate_catalog.py)"
)
EFFORT_END_MARKER = "    # END GENERATED: reasoning_effort overloads"
SUMMARY_BEGIN_MARKER = (
    "    # BEGIN GENERATED: reasoning_summary overloads (scripts/generate_catalog.py)"
)
SUMMARY_END_MARKER = "    # END GENERATED: reasoning_summary overloads"


@dataclass(frozen=True)
class FamilySpec:
    """One capability family: its catalog key, Literal alias name and builder state marker."""

    family: str
    literal_name: str
    state: str
    doc: str
    by_effort: bool = False
    """Split into one name ``Literal`` and one ``state[...]`` subclass per effort set."""


@dataclass(frozen=True)
class EffortSet:
    """The models of a family that accept the same reasoning effort levels."""

    levels: tuple[str, ...]
    literal_name: str
    """The ``Literal`` of these models' names, e.g. ``OpenAIReasoningLowMediumHighModelName``."""
    state: str
    """The state class, e.g. ``ReasoningLowMediumHigh`` (a ``ReasoningModel[...]``)."""
    base_state: str
    models: tuple[str, ...]


@dataclass(frozen=True)
class ProviderSpec:
    """How one provider's data file maps to generated names."""

    provider: str
    builder_class: str
    builder_module: str
    state_params: str
    """The builder's type arguments after the family, e.g. ``", P"``."""
    families: tuple[FamilySpec, ...]
    extra_builders: tuple[tuple[str, str], ...] = ()
    """Other builders taking the same model names, as ``(class, module)`` pairs (Azure
    OpenAI serves OpenAI's models): their overloads return their own class."""


PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        provider="openai",
        builder_class="OpenAIBuilder",
        builder_module="_builders/openai.py",
        state_params="",
        extra_builders=(("AzureOpenAIBuilder", "_builders/azure_openai.py"),),
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
                by_effort=True,
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
    ProviderSpec(
        provider="cohere",
        builder_class="CohereBuilder",
        builder_module="_builders/cohere.py",
        state_params="",
        families=(
            FamilySpec(
                "thinking",
                "CohereThinkingModelName",
                "ThinkingModel",
                "Cohere reasoning models (thinking on by default, with an optional budget).",
            ),
            FamilySpec(
                "standard",
                "CohereStandardModelName",
                "StandardModel",
                "Cohere models without thinking.",
            ),
        ),
    ),
)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_KEYS = ("as_of", "deprecated", "shutdown")
"""Entry keys that hold a day: ISO ``YYYY-MM-DD``."""
LIFECYCLES = ("legacy", "deprecated", "retired")
"""The ``lifecycle`` values an entry may state (absent: active as far as its source says)."""


def _day(value: object) -> dt.date | None:
    """The date ``value`` names when it is an ISO ``YYYY-MM-DD`` string, else ``None``."""
    if not isinstance(value, str) or _ISO_DAY.fullmatch(value) is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_entry(entry: dict[str, Any], today: dt.date | None = None) -> list[str]:
    """The problems with one data-file entry's provenance (empty when it is sound).

    Every entry names the page its values came from (``source``, an https URL) and the day that
    page was read (``as_of``, ISO ``YYYY-MM-DD``, not after ``today``). Deprecation days, when
    present, are ISO days too, a shutdown does not precede its announcement, and a shutdown
    date comes with a ``lifecycle`` of ``deprecated`` or ``retired``.
    """
    name = entry.get("name", "<unnamed>")
    day = today if today is not None else dt.date.today()
    problems: list[str] = []
    source = entry.get("source")
    if not isinstance(source, str) or not source.startswith("https://"):
        problems.append(f"{name}: no source URL (an https:// page the values came from)")
    if "as_of" not in entry:
        problems.append(f"{name}: no as_of date (the day its source was read, YYYY-MM-DD)")
    for key in _DATE_KEYS:
        if key not in entry:
            continue
        parsed = _day(entry[key])
        if parsed is None:
            problems.append(f"{name}: {key}={entry[key]!r} is not an ISO date (YYYY-MM-DD)")
        elif key == "as_of" and parsed > day:
            problems.append(f"{name}: as_of={entry[key]} is in the future")
    lifecycle = entry.get("lifecycle")
    if lifecycle is not None and lifecycle not in LIFECYCLES:
        problems.append(f"{name}: lifecycle={lifecycle!r} is not one of {list(LIFECYCLES)}")
    if "shutdown" in entry and lifecycle not in ("deprecated", "retired"):
        problems.append(f"{name}: a shutdown date needs lifecycle 'deprecated' or 'retired'")
    for key in ("deprecation_source",):
        if key in entry and not str(entry[key]).startswith("https://"):
            problems.append(f"{name}: {key} is not an https:// URL")
    announced, shutdown = _day(entry.get("deprecated")), _day(entry.get("shutdown"))
    if announced is not None and shutdown is not None and shutdown < announced:
        problems.append(f"{name}: shutdown {shutdown} precedes its announcement {announced}")
    return problems


def load_models(provider: str) -> list[dict[str, Any]]:
    """The provider's models with snapshots expanded into entries of their own, in file order.

    Raises ``ValueError`` when an entry lacks its source or source date (see
    :func:`check_entry`) or when a name is listed twice.
    """
    data = json.loads((DATA_DIR / f"{provider}.json").read_text(encoding="utf-8"))
    problems = [p for entry in data["models"] for p in check_entry(entry)]
    if problems:
        raise ValueError(f"{provider}.json: " + "; ".join(problems))
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


def effort_sets(spec: ProviderSpec, fam: FamilySpec) -> list[EffortSet]:
    """The distinct effort-level sets of a ``by_effort`` family, in order of first appearance."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for m in load_models(spec.provider):
        if m["family"] == fam.family:
            levels = tuple(m.get("reasoning_efforts", ()))
            if not levels:
                raise ValueError(f"{m['name']}: a {fam.family} model needs reasoning_efforts")
            groups.setdefault(levels, []).append(m["name"])
    out: list[EffortSet] = []
    for levels, names in groups.items():
        title = "".join(level.title() for level in levels)
        out.append(
            EffortSet(
                levels=levels,
                literal_name=f"{fam.literal_name.removesuffix('ModelName')}{title}ModelName",
                state=f"{fam.state.removesuffix('Model')}{title}",
                base_state=fam.state,
                models=tuple(names),
            )
        )
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
    if len(names) == 1:  # as ruff format writes a one-name Literal (no magic trailing comma)
        return f'Literal["{names[0]}"]'
    inner = "".join(f'    "{n}",\n' for n in names)
    return f"Literal[\n{inner}]"


def _alias(name: str, names: list[str]) -> str:
    """``name: TypeAlias = Literal[...]`` laid out as ruff format lays it out (one line when
    it fits the project's 100 columns, else one name per line)."""
    one_line = f"{name}: TypeAlias = Literal[{', '.join(_py(n) for n in names)}]"
    return one_line if len(one_line) <= 100 else f"{name}: TypeAlias = {_literal(names)}"


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
        "# Source URLs and notes are data, kept on one line each (E501 is off for these files).",
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
        lines.append(_alias(fam.literal_name, names))
        lines.append(f'"""{fam.doc}"""')
        lines.append("")
        literal_names.append(fam.literal_name)
        if fam.by_effort:
            for es in effort_sets(spec, fam):
                lines.append(_alias(es.literal_name, list(es.models)))
                lines.append(f'"""{fam.doc.split(":")[0]} with reasoning efforts {es.levels}."""')
                lines.append("")
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
        if "native_tools" in m:
            values["native_tools"] = tuple(m["native_tools"])
        for key in (
            "cached_input_price",
            "cache_write_price",
            "batch_input_price",
            "batch_output_price",
        ):
            if m.get(key) is not None:
                values[key] = m[key]
        values["source_url"] = m["source"]
        values["as_of"] = m["as_of"]
        for key, field in (
            ("lifecycle", "lifecycle"),
            ("deprecated", "deprecated"),
            ("shutdown", "shutdown_date"),
            ("replacement", "replacement"),
            ("deprecation_source", "deprecation_source"),
            ("thinking_mode", "thinking_mode"),
            ("note", "note"),
        ):
            if m.get(key) is not None:
                values[field] = m[key]
        args = [f"{key}={_py(value)}" for key, value in values.items()]
        lines.append(f"    {_py(m['name'])}: ModelInfo(")
        lines.extend(f"        {a}," for a in args)
        lines.append("    ),")
    lines.append("}")
    lines.append("")
    return "\n".join(lines)


def _overload(params: str, ret: str, decorators: tuple[str, ...] = ()) -> list[str]:
    head = ["    @overload", *(f"    {d}" for d in decorators)]
    one_line = f"    def model(self, {params}) -> {ret}: ..."
    if len(one_line) <= 100:  # the project's line length (ruff format keeps it as is)
        return [*head, one_line]
    return [*head, "    def model(", f"        self, {params}", f"    ) -> {ret}: ..."]


def _targets(spec: ProviderSpec) -> list[tuple[str, str]]:
    """(name ``Literal``, builder state) per overload: a family, or each of its effort sets."""
    out: list[tuple[str, str]] = []
    for fam in spec.families:
        if fam.by_effort:
            out += [(es.literal_name, es.state) for es in effort_sets(spec, fam)]
        else:
            out.append((fam.literal_name, fam.state))
    return out


def _listed_name_message(spec: ProviderSpec) -> str:
    # Short enough for one line of the generated decorator (ruff format would wrap it).
    return f"a listed {spec.provider} model takes no like=: drop it (like= is for unlisted names)"


def render_builder_overloads(spec: ProviderSpec, builder_class: str | None = None) -> str:
    """The ``.model()`` overloads for the provider's builder (the text between the markers),
    or for ``builder_class``, another builder of the same model names."""
    out: list[str] = []
    targets = _targets(spec)
    builder_class = builder_class or spec.builder_class
    for literal_name, state in targets:
        ret = f"{builder_class}[{state}{spec.state_params}]"
        out += _overload(f"name: {literal_name}", ret)
    # A listed name with like= raises at run time; statically it is a deprecated overload
    # (mypy's `deprecated` error code, pyright's reportDeprecated), since no checker can type
    # "a str that is not one of these literals". It must precede the `name: str` overloads.
    all_names = f"{spec.builder_class.removesuffix('Builder')}ModelName"
    out += _overload(
        f"name: {all_names}, *, like: {all_names}",
        "Never",
        (f"@deprecated({_py(_listed_name_message(spec))})",),
    )
    for literal_name, state in targets:
        ret = f"{builder_class}[{state}{spec.state_params}]"
        out += _overload(f"name: str, *, like: {literal_name}", ret)
    return "\n".join(out)


def render_effort_overloads(spec: ProviderSpec, builder_class: str | None = None) -> str:
    """The ``.reasoning_effort()`` overloads: one per effort set, keeping the builder's state."""
    out: list[str] = []
    builder_class = builder_class or spec.builder_class
    for fam in spec.families:
        if not fam.by_effort:
            continue
        for es in effort_sets(spec, fam):
            levels = ", ".join(_py(level) for level in es.levels)
            builder = f"{builder_class}[{es.state}{spec.state_params}]"
            out += [
                "    @overload",
                "    def reasoning_effort(",
                f"        self: {builder},",
                f"        effort: Literal[{levels}],",  # the trailing comma keeps ruff's layout
                f"    ) -> {builder}: ...",
            ]
    return "\n".join(out)


def render_summary_overloads(spec: ProviderSpec, builder_class: str | None = None) -> str:
    """The ``.reasoning_summary()`` overloads: one per effort set (every reasoning state),
    keeping the builder's state."""
    out: list[str] = []
    builder_class = builder_class or spec.builder_class
    for fam in spec.families:
        if not fam.by_effort:
            continue
        for es in effort_sets(spec, fam):
            builder = f"{builder_class}[{es.state}{spec.state_params}]"
            out += [
                "    @overload",
                "    def reasoning_summary(",
                f"        self: {builder}, summary: ReasoningSummary",
                f"    ) -> {builder}: ...",
            ]
    return "\n".join(out)


def render_effort_states(specs: tuple[ProviderSpec, ...] = PROVIDERS) -> str:
    """The effort-set state classes (the text between the markers of ``_builders/_states.py``)."""
    out: list[str] = []
    for spec in specs:
        for fam in spec.families:
            if not fam.by_effort:
                continue
            for es in effort_sets(spec, fam):
                levels = ", ".join(_py(level) for level in es.levels)
                # ModelChosen again as a direct base: mypy joins two of these to it.
                bases = f"{es.base_state}[Literal[{levels}]], ModelChosen"
                head = f"class {es.state}({bases}):"
                if len(head) > 100:  # as ruff format wraps it
                    head = f"class {es.state}(\n    {bases}\n):"
                out += [
                    "",
                    "",
                    head,
                    f'    """A reasoning model taking reasoning_effort {levels}',
                    f'    ({", ".join(es.models[:4])}{", ..." if len(es.models) > 4 else ""})."""',
                ]
    return "\n".join(out) + "\n\n"


def splice_generated(
    source: str, generated: str, begin: str = BEGIN_MARKER, end_marker: str = END_MARKER
) -> str:
    """Replace the text between the markers in ``source`` with ``generated``."""
    start = source.index(begin) + len(begin)
    end = source.index(end_marker)
    return source[:start] + "\n" + generated + "\n" + source[end:]


EMBEDDINGS_BEGIN_MARKER = "# BEGIN GENERATED: embedding model names (scripts/generate_catalog.py)"
EMBEDDINGS_END_MARKER = "# END GENERATED: embedding model names"
EMBEDDINGS_MODULE = "_catalog/_embedding_models.py"
_EMBEDDING_ALIASES = (
    ("openai", "OpenAIEmbeddingModelName", "The OpenAI (and Azure OpenAI) embedding models"),
    ("gemini", "GeminiEmbeddingModelName", "The Gemini API embedding models"),
    ("cohere", "CohereEmbeddingModelName", "The Cohere embedding models"),
    ("mistral", "MistralEmbeddingModelName", "The Mistral embedding models"),
)


def render_embedding_literals() -> str:
    """The ``Literal`` of embedding model names per provider, from ``data/embeddings.json``
    (every entry checked like the chat catalog's: ``source`` and ``as_of``)."""
    data = json.loads((DATA_DIR / "embeddings.json").read_text(encoding="utf-8"))
    problems = [p for entry in data["models"] for p in check_entry(entry)]
    if problems:
        raise ValueError("embeddings.json: " + "; ".join(problems))
    blocks: list[str] = []
    for provider, alias, what in _EMBEDDING_ALIASES:
        names = [m["name"] for m in data["models"] if m["provider"] == provider]
        blocks.append(f'{_alias(alias, names)}\n"""{what} the catalog lists."""')
    return "\n".join(blocks)


def expected_files() -> dict[Path, str]:
    """Every generated file and the content it must have."""
    files: dict[Path, str] = {}
    for spec in PROVIDERS:
        files[PACKAGE_DIR / "_catalog" / f"_{spec.provider}_models.py"] = render_models_module(spec)
        builders = ((spec.builder_class, spec.builder_module), *spec.extra_builders)
        for builder_class, module in builders:
            builder_path = PACKAGE_DIR / module
            source = builder_path.read_text(encoding="utf-8")
            source = splice_generated(source, render_builder_overloads(spec, builder_class))
            if EFFORT_BEGIN_MARKER in source:
                effort = render_effort_overloads(spec, builder_class)
                source = splice_generated(source, effort, EFFORT_BEGIN_MARKER, EFFORT_END_MARKER)
            if SUMMARY_BEGIN_MARKER in source:
                summary = render_summary_overloads(spec, builder_class)
                source = splice_generated(source, summary, SUMMARY_BEGIN_MARKER, SUMMARY_END_MARKER)
            files[builder_path] = source
    states_path = PACKAGE_DIR / STATES_MODULE
    states = states_path.read_text(encoding="utf-8")
    files[states_path] = splice_generated(
        states, render_effort_states(), STATES_BEGIN_MARKER, STATES_END_MARKER
    )
    embeddings_path = PACKAGE_DIR / EMBEDDINGS_MODULE
    files[embeddings_path] = splice_generated(
        embeddings_path.read_text(encoding="utf-8"),
        render_embedding_literals(),
        EMBEDDINGS_BEGIN_MARKER,
        EMBEDDINGS_END_MARKER,
    )
    return files
