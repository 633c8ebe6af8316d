"""What every dialect does with every type construct: the data behind
``docs/structured-output.md`` (written by ``scripts/generate_schema_docs.py`` and checked by the
test suite, which also round-trips every cell that is not an error).
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, Union

import pydantic
from pydantic import BaseModel, Field, WithJsonSchema
from typing_extensions import TypedDict

from .._errors import SchemaError
from ._compile import compile_schema
from ._types import DIALECTS, DecimalMode, Dialect

__all__ = ["CONSTRUCTS", "DECIMAL_MODES", "Cell", "classify", "render_markdown", "support_matrix"]

# What pydantic 2.12.x emits for Decimal (newer versions drop the pattern): fixed here so that
# the table does not depend on the installed pydantic.
_DECIMAL_2_12 = WithJsonSchema(
    {
        "anyOf": [
            {"type": "number"},
            {"type": "string", "pattern": r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"},
        ]
    }
)


class _Color(str, enum.Enum):
    RED = "red"
    BLUE = "blue"


class _Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class _Item(BaseModel):
    name: str
    qty: int


class _Cat(BaseModel):
    kind: Literal["cat"]
    lives: int


class _Dog(BaseModel):
    kind: Literal["dog"]
    barks: bool


class _Node(BaseModel):
    value: int
    children: list[_Node] = []


class _Movie(TypedDict):
    title: str
    year: int


@dataclasses.dataclass
class _Point:
    x: float
    y: float


def _model(name: str, **fields: Any) -> type[BaseModel]:
    return pydantic.create_model(name, **fields)


def _nested(levels: int) -> Any:
    inner: Any = int
    for i in range(levels):
        inner = _model(f"Level{i}", inner=(inner, ...))
    return inner


CONSTRUCTS: dict[str, Any] = {
    "nested models": _model("Order", item=(_Item, ...), note=(str, ...)),
    "list of models": _model("Cart", items=(list[_Item], ...)),
    "str enum": _model("Paint", color=(_Color, ...)),
    "int enum": _model("Ticket", level=(_Level, ...)),
    "Literal (strings)": _model("Answer", verdict=(Literal["yes", "no"], ...)),
    "Literal (mixed types)": _model("Mixed", value=(Literal["a", 1, True], ...)),
    "optional field with default": _model("Opt", nickname=(Optional[str], None), n=(int, 3)),
    "recursive model": _Node,
    "discriminated union": _model(
        "Pet", pet=(Annotated[Union[_Cat, _Dog], Field(discriminator="kind")], ...)
    ),
    "plain union": _model("Either", value=(Union[int, str], ...)),
    "dict[str, X] field": _model("Scores", by_name=(dict[str, int], ...)),
    "tuple field": _model("Pair", pair=(tuple[int, str], ...)),
    "set field": _model("Tags", tags=(set[str], ...)),
    "Decimal": _model("Money", amount=(Decimal, ...)),
    "Decimal (pydantic 2.12: lookaround pattern)": _model(
        "Money212", amount=(Annotated[Decimal, _DECIMAL_2_12], ...)
    ),
    'Decimal with .decimals("string")': _model(
        "MoneyText", amount=(Decimal, ...), cents=(Annotated[Decimal, Field(decimal_places=2)], ...)
    ),
    "datetime / date / UUID": _model(
        "Event", at=(datetime, ...), day=(date, ...), ident=(uuid.UUID, ...)
    ),
    "alias": _model("Aliased", value=(str, Field(alias="Value"))),
    "fields named title/properties/type": _model(
        "Awkward", title=(str, ...), properties=(str, ...), type=(str, ...)
    ),
    "Any field": _model("Loose", payload=(Any, ...)),
    "unknown type (custom JSON schema)": _model(
        "Odd", odd=(Annotated[str, WithJsonSchema({"type": "foo"})], ...)
    ),
    "list[Any] / bare list field": _model("Bag", things=(list[Any], ...)),
    "constrained str": _model(
        "Code", code=(str, Field(min_length=3, max_length=8, pattern="^[A-Z]+$"))
    ),
    "pattern with lookaround": pydantic.create_model(
        "Secret",
        __config__=pydantic.ConfigDict(regex_engine="python-re"),
        secret=(str, Field(pattern=r"^(?=.*\d)[a-z\d]{8,}$")),
    ),
    "constrained number": _model("Pct", pct=(float, Field(ge=0, le=100, multiple_of=0.5))),
    "120 fields": _model("Wide", **{f"f{i}": (int, ...) for i in range(120)}),
    "8-level nesting": _nested(8),
    "root list[M]": list[_Item],
    "root M | None": Optional[_Item],
    "root bool": bool,
    "root TypedDict": _Movie,
    "root dataclass": _Point,
    "root dict[str, X]": dict[str, int],
    "17 Optional fields": _model("Sparse", **{f"f{i}": (Optional[int], ...) for i in range(17)}),
}

DECIMAL_MODES: dict[str, DecimalMode] = {'Decimal with .decimals("string")': "string"}
"""Rows compiled with another ``decimal`` mode than the default ``number``."""


@dataclasses.dataclass(frozen=True)
class Cell:
    """What one dialect does with one construct."""

    outcome: Literal["native", "rewritten losslessly", "moved to description", "error"]
    detail: str


def classify(tp: Any, dialect: Dialect, decimal: DecimalMode = "number") -> Cell:
    """Compile ``tp`` for ``dialect`` and summarise what happened."""
    try:
        compiled = compile_schema(tp, dialect, decimal=decimal)
    except SchemaError as exc:
        return Cell("error", str(exc).split(": ", 1)[-1].split(";")[0])
    moved = [c for c in compiled.changes if c.kind == "moved_to_description"]
    if moved:
        keys = sorted({c.detail.split("=")[0].split(" ")[0] for c in moved})
        return Cell("moved to description", ", ".join(keys))
    rewritten = [
        c.detail.split(" (")[0]
        for c in compiled.changes
        if c.kind in ("rewritten", "wrapped")
        and not c.detail.startswith("oneOf")
        and not c.detail.startswith("optional properties")
    ]
    if rewritten:
        return Cell("rewritten losslessly", "; ".join(sorted(set(rewritten))))
    return Cell("native", "")


def support_matrix() -> dict[str, dict[Dialect, Cell]]:
    """Every construct x every dialect."""
    return {
        name: {d: classify(tp, d, DECIMAL_MODES.get(name, "number")) for d in DIALECTS}
        for name, tp in CONSTRUCTS.items()
    }


_SHORT = {
    "native": "native",
    "rewritten losslessly": "rewritten",
    "moved to description": "described",
    "error": "**error**",
}


def render_markdown() -> str:
    """The table of ``docs/structured-output.md``."""
    matrix = support_matrix()
    lines = [
        "# Structured output: what each provider dialect does with each type",
        "",
        "Generated by `python scripts/generate_schema_docs.py` from `typedllm/schema/_matrix.py`;",
        "`tests/schema/test_support_matrix.py` fails when this file is stale and round-trips every",
        "cell that is not an error (schema-valid answer -> restore -> unwrap -> validated `T`).",
        "",
        "* **native**: the provider's schema expresses the construct as is.",
        "* **rewritten**: rewritten losslessly (wrapped root, key/value pairs, tuple objects,",
        "  enum text, inlined `$ref`, nullable ...) and converted back before validation.",
        "* **described**: the provider cannot enforce a keyword; it moves into the `description`",
        "  (the model still reads it) and pydantic still enforces it on the answer.",
        "* **error**: a `SchemaError` that says what to do instead; nothing is dropped silently.",
        "",
        "Where the `anthropic` dialect refuses a type (recursion, more than 16 union or 24",
        "optional parameters), the Anthropic codec sends it through the forced tool",
        "(`anthropic-tool`) instead, and where `openai-strict` refuses one,",
        '`.structured_output("json_schema")` sends it non-strict. `Decimal` rows: by default',
        "pydantic's number-or-string schema, which models answer with a JSON number (digits past",
        "a float's precision are lost); with the builder's `.decimals(\"string\")` (or",
        '`compile_schema(..., decimal="string")`) it is a string of digits that validates back',
        "into `Decimal` exactly.",
        "",
        "| construct | " + " | ".join(DIALECTS) + " |",
        "|---|" + "---|" * len(DIALECTS),
    ]
    for name, row in matrix.items():
        label = name.replace("|", "\\|")
        lines.append(f"| {label} | " + " | ".join(_SHORT[row[d].outcome] for d in DIALECTS) + " |")
    lines += ["", "## Details", ""]
    for name, row in matrix.items():
        notes = [f"`{d}`: {c.outcome} ({c.detail})" for d, c in row.items() if c.detail]
        if notes:
            lines.append(f"* **{name}**: " + "; ".join(notes))
    lines.append("")
    return "\n".join(lines)
