"""Every dialect x every construct: the documented behaviour holds and is what the docs say."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _checkers import check, openapi_to_jsonschema
from _models import models, models_with_mappings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from typedllm import SchemaError
from typedllm._output import adapter_for
from typedllm.schema import DIALECTS, CompiledSchema, Dialect, apply_dialect, compile_schema
from typedllm.schema._matrix import CONSTRUCTS, DECIMAL_MODES, classify, render_markdown
from typedllm.testing import generate_instance

ROOT = Path(__file__).resolve().parents[2]
CELLS = [(name, d) for name in CONSTRUCTS for d in DIALECTS]


def test_docs_table_is_up_to_date() -> None:
    doc = (ROOT / "docs" / "structured-output.md").read_text(encoding="utf-8")
    assert doc == render_markdown(), "run: python scripts/generate_schema_docs.py"
    script = ROOT / "scripts" / "generate_schema_docs.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stdout


def _answer_schema(dialect: Dialect, emitted: dict[str, Any]) -> dict[str, Any]:
    return openapi_to_jsonschema(emitted) if dialect == "gemini-openapi" else emitted


@pytest.mark.parametrize(("construct", "dialect"), CELLS, ids=[f"{c}-{d}" for c, d in CELLS])
def test_cell_behaves_as_documented(construct: str, dialect: Dialect) -> None:
    tp = CONSTRUCTS[construct]
    decimal = DECIMAL_MODES.get(construct, "number")
    cell = classify(tp, dialect, decimal)
    if cell.outcome == "error":
        return  # classify() caught a SchemaError: the documented outcome
    compiled = compile_schema(tp, dialect, decimal=decimal)
    emitted = dict(compiled.schema)
    check(dialect, emitted)  # the provider's documented rules hold
    answer_schema = _answer_schema(dialect, emitted)
    answer = generate_instance(answer_schema, seed=construct)
    jsonschema.validate(answer, answer_schema)  # a constrained model's answer ...
    restored = compiled.restore(answer)  # ... converted back ...
    if cell.outcome == "moved to description":
        return  # the provider no longer enforces a constraint: validation may reject (re-ask)
    value = adapter_for(tp, wrapped=compiled.wrapped).validate_python(restored)  # ... is a T
    assert value is not None


def test_every_dialect_is_idempotent_on_every_construct() -> None:
    for name, tp in CONSTRUCTS.items():
        decimal = DECIMAL_MODES.get(name, "number")
        for dialect in DIALECTS:
            if classify(tp, dialect, decimal).outcome == "error":
                continue
            once = dict(compile_schema(tp, dialect, decimal=decimal).schema)
            if dialect == "gemini-openapi":
                continue  # its output is not JSON Schema any more (upper-case types)
            twice, changes = apply_dialect(once, dialect)
            assert twice == once, (name, dialect)
            assert [c for c in changes if c.kind != "moved_to_description"] == [], (name, dialect)


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _compiled(model: Any, dialect: Dialect) -> CompiledSchema | None:
    """``model`` compiled, or ``None`` where Anthropic's size limits refuse it (generated models
    can have more than 16 unions); then the forced-tool route, the codec's fallback, works."""
    try:
        return compile_schema(model, dialect)
    except SchemaError as exc:
        if dialect != "anthropic" or "structured-outputs limit" not in str(exc):
            raise
        check("anthropic-tool", dict(compile_schema(model, "anthropic-tool").schema))
        return None


@_SETTINGS
@given(models())
def test_property_every_dialect_obeys_its_rules(model: type[BaseModel]) -> None:
    for dialect in DIALECTS:
        compiled = _compiled(model, dialect)
        if compiled is not None:
            check(dialect, dict(compiled.schema))


@_SETTINGS
@given(models())
def test_property_valid_instances_are_accepted_by_every_dialect(model: type[BaseModel]) -> None:
    """No dialect over-constrains: an instance with every optional present passes, and comes
    back unchanged through restore and validation."""
    adapter = TypeAdapter(model)
    instance = adapter.validate_python(generate_instance(adapter.json_schema(), seed="all"))
    dumped = adapter.dump_python(instance, mode="json", by_alias=True)
    for dialect in DIALECTS:
        compiled = _compiled(model, dialect)
        if compiled is None:
            continue
        jsonschema.validate(dumped, _answer_schema(dialect, dict(compiled.schema)))
        assert adapter.validate_python(compiled.restore(dumped)) == instance


@_SETTINGS
@given(models())
def test_property_every_dialect_is_idempotent(model: type[BaseModel]) -> None:
    for dialect in DIALECTS:
        compiled = _compiled(model, dialect)
        if dialect == "gemini-openapi" or compiled is None:
            continue  # its output is OpenAPI, not JSON Schema: a second pass does not apply
        once = dict(compiled.schema)
        twice, changes = apply_dialect(once, dialect)
        assert twice == once, dialect
        assert [c for c in changes if c.kind != "moved_to_description"] == [], dialect


@_SETTINGS
@given(models_with_mappings(), st.sampled_from(["", "a", "b"]))
def test_property_rewritten_answers_round_trip(model: type[BaseModel], seed: str) -> None:
    """An answer shaped by a rewriting dialect (pairs, tuple objects, enum text) converts back
    into a valid instance, for every dialect; wrapping round-trips too."""
    for dialect in DIALECTS:
        compiled = _compiled(model, dialect)
        if compiled is None:
            continue
        answer_schema = _answer_schema(dialect, dict(compiled.schema))
        answer = generate_instance(answer_schema, seed=seed)
        jsonschema.validate(answer, answer_schema)
        value = adapter_for(model, wrapped=compiled.wrapped).validate_python(
            compiled.restore(answer)
        )
        assert isinstance(value, model)
        for tp in (list[model], model | None):  # type: ignore[valid-type]
            wrapped = compile_schema(tp, dialect)
            schema = _answer_schema(dialect, dict(wrapped.schema))
            data = generate_instance(schema, seed=seed)
            adapter_for(tp, wrapped=wrapped.wrapped).validate_python(wrapped.restore(data))
