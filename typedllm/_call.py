"""One call as a completer's primitives receive it (apart from the typed surface in
:mod:`typedllm._protocol`, so the tool loop can make calls without importing that surface)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._messages import Prompt
from ._options import CallOptions
from ._records import positional_maker

__all__ = ["Call", "make_call"]


@dataclass(frozen=True, slots=True)
class Call:
    """One call as the primitives receive it.

    Attributes:
        prompt: the prompt (a string or messages).
        schema: the requested type (``None`` for text).
        has_schema: whether a schema was given (``schema=None`` means text).
        options: per-call overrides of the client's defaults.
    """

    prompt: Prompt
    schema: Any = None
    has_schema: bool = False
    options: CallOptions | None = None


make_call = positional_maker(Call)
"""``Call(prompt, schema, has_schema, options)``, built fast (every call makes one)."""
