"""Locate the recorded real API traffic (``shared/conformance`` beside the repository)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Optional

import pydantic

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


SCALARS: dict[str, Any] = {"string": str, "integer": int, "number": float, "boolean": bool}


def python_type(prop: dict[str, Any], defs: dict[str, Any], name: str) -> Any:
    """The Python type a recorded property schema describes (what a user would have written)."""
    if isinstance(prop.get("type"), str):
        prop = {**prop, "type": prop["type"].lower()}
    branches = prop.get("anyOf")
    if branches:
        kinds = [str(b.get("type", "")).lower() for b in branches]
        if sorted(kinds) == ["number", "string"]:
            from decimal import Decimal

            return Decimal
        others = [b for b in branches if str(b.get("type", "")).lower() != "null"]
        inner = python_type(others[0], defs, name) if len(others) == 1 else Any
        return Optional[inner] if len(others) < len(branches) else inner
    if "$ref" in prop:
        ref = prop["$ref"].split("/")[-1]
        return model_from_schema(defs[ref], defs, ref)
    if "enum" in prop:
        return Literal[tuple(prop["enum"])]  # type: ignore[valid-type]
    kind = prop.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        inner = python_type({**prop, "type": non_null[0]}, defs, name)
        return Optional[inner]
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        return list[python_type(prop.get("items", {}), defs, name)]  # type: ignore[misc]
    if kind == "object" and "properties" in prop:
        return model_from_schema(prop, defs, name.title())
    raise NotImplementedError(f"schema construct not modelled by this test helper: {prop}")


def model_from_schema(
    schema: dict[str, Any], defs: dict[str, Any], name: str
) -> type[pydantic.BaseModel]:
    """A pydantic model equivalent to a simple recorded JSON schema."""
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for prop_name, prop in schema.get("properties", {}).items():
        tp = python_type(prop, defs, prop_name)
        description = prop.get("description")
        if prop_name in required:
            fields[prop_name] = (tp, pydantic.Field(description=description))
        else:
            fields[prop_name] = (Optional[tp], pydantic.Field(None, description=description))
    return pydantic.create_model(re.sub(r"\W", "_", name) or "M", **fields)
