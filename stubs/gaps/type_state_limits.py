"""Known gap: builder misuse the checkers cannot see (caught at run time with ConfigurationError).

Not part of the accept/reject run; see stubs/gaps/string_schema.py for how gap files work.

* ``OpenAIBuilder[ChatModel]()``: ``__init__`` pins ``self`` to the start state. pyright rejects
  the explicit type argument; mypy accepts it silently but types the result as
  ``OpenAIBuilder[NoModel]``, so every gate still applies to it (stubs/reject/type_holes.py).
* ``max_tokens`` over the model's output limit: the limit is a catalog number and the checkers
  do not compare int values; ``.model()``, ``.max_tokens()`` and ``build()`` check it in any
  order.
* ``Partial[T]`` field access: ``partial.data`` is the JSON so far (``Any``) and ``get(key)``
  takes any string. No checker can map a string key to ``T``'s field type for a generic ``T``
  (there is no ``keyof``), and a field that is still open (an object or array) is not a ``T``
  field yet; ``items()`` gives typed access to completed items of a ``list[M]`` schema instead.

Further limits documented here (they are false positives or config-dependent, not GAP lines):

* ``like=`` with a listed name is rejected statically through a ``@deprecated`` overload:
  pyright strict reports ``reportDeprecated`` as an error, but mypy reports it only with
  ``enable_error_code = deprecated`` (stubs/mypy.ini enables it). The run-time
  ``ConfigurationError`` at ``.model()`` does not depend on it.
* ``reasoning_effort()`` exists on the generated effort-set states (``ReasoningLowMediumHigh``
  ...), not on a hand-written ``OpenAIBuilder[ReasoningModel[Literal["low"]]]`` (a generic
  overload for it overlaps the generated ones under mypy's overlap check).
"""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class City(BaseModel):
    name: str


def explicit_type_argument() -> None:
    tl.OpenAIBuilder[tl.ChatModel]()  # GAP


def max_tokens_over_the_limit() -> None:
    tl.openai().model("gpt-4o").max_tokens(10**6)  # GAP


def max_tokens_before_the_model() -> None:
    tl.openai().max_tokens(10**6).model("gpt-4o")  # GAP


def partial_field_typo(llm: tl.Client) -> None:
    for partial in llm.stream("x", schema=City):
        partial.get("nmae")  # GAP
