"""Hypothesis strategies that build pydantic models the way users write them."""

from __future__ import annotations

import enum
import itertools
from typing import Any, Literal, Optional

import pydantic
from hypothesis import strategies as st

_counter = itertools.count()

_SCALARS: list[Any] = [str, int, float, bool]


def _enum_type(values: list[str]) -> Any:
    return enum.Enum(f"E{next(_counter)}", {f"V{i}": v for i, v in enumerate(values)}, type=str)


scalar = st.sampled_from(_SCALARS)
enum_type = st.lists(
    st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True
).map(_enum_type)
literal_type = st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True).map(
    lambda vs: Literal[tuple(vs)]  # type: ignore[misc]
)


def _field_types(depth: int) -> st.SearchStrategy[Any]:
    base = st.one_of(scalar, enum_type, literal_type)
    if depth <= 0:
        return base
    nested = st.deferred(lambda: models(depth - 1))
    return st.one_of(
        base,
        nested,
        base.map(lambda t: list[t]),  # type: ignore[valid-type]
        nested.map(lambda t: list[t]),  # type: ignore[valid-type]
        st.tuples(nested, nested).map(lambda ts: ts[0] | ts[1]),
    )


@st.composite
def models(draw: st.DrawFn, depth: int = 2) -> type[pydantic.BaseModel]:
    """A pydantic model with 1-5 fields: scalars, enums, literals, nested models, lists,
    unions, and optional fields with defaults."""
    names = draw(
        st.lists(
            st.sampled_from(["name", "count", "tags", "kind", "child", "score", "title", "items"]),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    fields: dict[str, Any] = {}
    for name in names:
        tp = draw(_field_types(depth))
        if draw(st.booleans()):
            fields[name] = (Optional[tp], None)
        else:
            fields[name] = (tp, ...)
    return pydantic.create_model(f"M{next(_counter)}", **fields)


def recursive_model() -> type[pydantic.BaseModel]:
    """A tree: the recursion case every dialect must keep."""

    class Node(pydantic.BaseModel):
        value: int
        children: list[Node] = []

    Node.model_rebuild()
    return Node


@st.composite
def models_with_mappings(draw: st.DrawFn) -> type[pydantic.BaseModel]:
    """Models with ``dict[str, X]`` and fixed tuple fields, which closed dialects rewrite."""
    inner = draw(models(1))
    value = draw(st.sampled_from([int, str, inner]))
    fields: dict[str, Any] = {
        "mapping": (dict[str, value], ...),  # type: ignore[valid-type]
        "pair": (tuple[value, int], ...),  # type: ignore[valid-type]
    }
    if draw(st.booleans()):
        fields["nested"] = (list[dict[str, int]], ...)
    return pydantic.create_model(f"Map{next(_counter)}", **fields)
