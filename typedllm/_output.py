"""Turn a model's answer text into the requested type (pure).

* Strict paths (the provider enforced the schema): the text must be exactly one JSON value.
* Lenient paths (JSON mode, prompt-only hosts): markdown fences and surrounding prose are
  stripped and the first complete JSON value is taken. Values are never "fixed".

Validation uses a cached ``pydantic.TypeAdapter`` and pydantic's JSON mode (``validate_json``),
so JSON-specific semantics hold (``Decimal`` keeps its digits, strings become dates ...). A
wrapped root (``{"result": ...}``) is validated through a cached wrapper model.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pydantic  # the package is lazy: TypeAdapter is imported on first validation
from pydantic_core import SchemaValidator

from .schema import WRAP_KEY, CompiledSchema

__all__ = ["ValidationFailure", "adapter_for", "extract_json_text", "format_errors", "parse_output"]

if TYPE_CHECKING:
    from pydantic import TypeAdapter

# The cached adapters, one dict per wrapping: keyed by the type alone, so that a lookup hashes
# the type and no key tuple.
_adapters: dict[Any, TypeAdapter[Any]] = {}
_wrapped_adapters: dict[Any, TypeAdapter[Any]] = {}
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_decoder = json.JSONDecoder()


class ValidationFailure(Exception):
    """The answer is not a valid instance: ``errors`` is pydantic's error list (JSON-safe)."""

    def __init__(self, message: str, errors: tuple[dict[str, Any], ...]) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


def adapter_for(tp: Any, *, wrapped: bool = False) -> TypeAdapter[Any]:
    """A cached ``TypeAdapter`` for ``tp`` (for ``{"result": tp}`` when ``wrapped``)."""
    adapters = _wrapped_adapters if wrapped else _adapters
    try:
        cached = adapters.get(tp)
    except TypeError:  # unhashable type expressions: build without caching
        return _build_adapter(tp, wrapped)
    if cached is None:
        cached = _build_adapter(tp, wrapped)
        adapters[tp] = cached
    return cached


def _validate_json(adapter: TypeAdapter[Any], text: str) -> Any:
    """``adapter.validate_json(text)``; straight to its built validator when it has one (the
    adapter's method adds a few checks per call, a tenth of validating a small answer)."""
    validator = adapter.validator
    if type(validator) is SchemaValidator:
        return validator.validate_json(text)
    return adapter.validate_json(text)


def _build_adapter(tp: Any, wrapped: bool) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    if not wrapped:
        return TypeAdapter(tp)
    fields: dict[str, Any] = {WRAP_KEY: (tp, ...)}
    wrapper: type[pydantic.BaseModel] = pydantic.create_model("Wrapped", **fields)
    return TypeAdapter(wrapper)


def extract_json_text(text: str) -> str:
    """The first complete JSON value in ``text`` (fences and surrounding prose removed).

    Returns ``text`` stripped when no JSON value can be found, so that validation reports
    the real problem.
    """
    fence = _FENCE.search(text)
    candidate = fence.group(1) if fence else text
    stripped = candidate.strip()
    for i, ch in enumerate(stripped):
        if ch in "{[":
            try:
                _value, end = _decoder.raw_decode(stripped, i)
            except (ValueError, RecursionError):  # not JSON here; or a number past the
                continue  # int-digit limit, or too deep: validation names the problem
            return stripped[i:end]
    return stripped


def format_errors(errors: tuple[dict[str, Any], ...]) -> str:
    """Human/model readable lines, one per error: ``location: message``."""
    lines: list[str] = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        lines.append(f"- {loc}: {err.get('msg', 'invalid')}")
    return "\n".join(lines)


def _wrap_bare_answer(payload: str) -> str:
    """Wrap an answer given without the ``{"result": ...}`` envelope (hosts that only saw the
    schema in the prompt often answer the bare list or value)."""
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):  # invalid JSON, or past the int-digit/depth limits
        return payload
    if isinstance(data, dict) and WRAP_KEY in data:
        return payload
    # Textual wrap: the value's own JSON text is kept byte for byte (Decimal digits included).
    return f'{{"{WRAP_KEY}": {payload}}}'


def _user_loc(loc: tuple[int | str, ...], wrapped: bool) -> tuple[int | str, ...]:
    # Report locations relative to the user's type, not our wrapper model.
    return loc[1:] if wrapped and loc[:1] == (WRAP_KEY,) else loc


def parse_output(text: str | None, compiled: CompiledSchema, tp: Any, *, lenient: bool) -> Any:
    """Validate the answer text into ``tp``; raise :class:`ValidationFailure` when it is not."""
    if text is None or not (stripped := text.strip()):
        raise ValidationFailure(
            "the model returned no content",
            ({"loc": (), "msg": "expected a JSON value, got an empty answer", "type": "empty"},),
        )
    wrapped = compiled.wrapped
    adapter = adapter_for(tp, wrapped=wrapped)
    # Most lenient answers are already one clean JSON value: validate it as it is, and only
    # when that fails take the slow path (fences, prose, a bare unwrapped value).
    if lenient and not compiled.rewrites and stripped[0] in "{[" and stripped[-1] in "}]":
        try:
            value = _validate_json(adapter, stripped)
        except pydantic.ValidationError:
            pass
        else:
            return getattr(value, WRAP_KEY) if wrapped else value
    payload = extract_json_text(text) if lenient else text
    if lenient and wrapped:
        payload = _wrap_bare_answer(payload)
    try:
        if compiled.rewrites:
            # The dialect rewrote some constructs (dict -> pairs, ...): convert the answer back.
            # Floats are parsed as Decimal so that Decimal fields keep every digit.
            try:
                data = json.loads(payload, parse_float=Decimal)
            except (ValueError, RecursionError) as exc:  # JSONDecodeError, int-digit limit
                raise ValidationFailure(
                    f"the answer is not valid JSON: {exc}",
                    ({"loc": (), "msg": f"invalid JSON: {exc}", "type": "json_invalid"},),
                ) from exc
            value = adapter.validate_python(compiled.restore(data))
        else:
            value = _validate_json(adapter, payload)
    except pydantic.ValidationError as exc:
        errors: tuple[dict[str, Any], ...] = tuple(
            {"loc": _user_loc(e["loc"], wrapped), "msg": e["msg"], "type": e["type"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        )
        raise ValidationFailure(
            f"{len(errors)} validation error(s):\n{format_errors(errors)}", errors
        ) from exc
    return getattr(value, WRAP_KEY) if wrapped else value
