"""A tool made from a typed Python function: its definition for the model, argument
validation through pydantic, and the serialization of its result.

The parameters come from the signature (annotations resolved, ``Annotated[..., Field(...)]``
kept, defaults kept), their descriptions from ``Field(description=...)`` or from the docstring
(:mod:`._docstrings`), the tool's description from the docstring's summary. The arguments the
model sends are validated into the annotated types before the function runs.
"""

from __future__ import annotations

import inspect
import math
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Generic, TypeVar, Union, cast, overload

from typing_extensions import ParamSpec

from .._errors import ConfigurationError
from .._messages import AudioPart, DocumentPart, ImagePart, Part, TextPart, text_of
from .._options import CacheTTL, ToolDefinition
from ._docstrings import parse_docstring

__all__ = ["ApprovalRule", "Tool", "tool"]

P = ParamSpec("P")
R = TypeVar("R")
P2 = ParamSpec("P2")
R2 = TypeVar("R2")

ApprovalRule = Union[bool, Callable[[Mapping[str, Any]], bool]]
"""Whether a call needs a human decision: ``True``/``False``, or a predicate on the call's
validated arguments (``lambda args: args["amount"] > 100``)."""


def _check_timeout(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    bad = isinstance(timeout, bool) or not isinstance(timeout, (int, float))  # pyright: ignore[reportUnnecessaryIsInstance]
    if bad or math.isnan(timeout) or timeout <= 0:
        raise ConfigurationError(f"a tool timeout must be a positive number, got {timeout!r}")
    return float(timeout)


class Tool(Generic[P, R]):
    """A typed function offered to the model as a tool. Make one with :func:`tool` or
    :meth:`Tool.from_function`.

    Calling the tool calls the function (``get_weather("Paris")`` still works and keeps its
    types). The loop uses :attr:`definition` (what the model sees), :meth:`validate` (the
    model's JSON arguments into the annotated types) and :meth:`invoke`.

    Attributes:
        fn: the function.
        name: the tool's name (the function's name unless given).
        description: what the tool does (the docstring's summary unless given).
        requires_approval: see :data:`ApprovalRule`.
        timeout: seconds a call may run before it is answered with a timeout error.
        definition: the :class:`~typedllm.ToolDefinition` sent to the model.
    """

    __slots__ = (
        "_model",
        "_names",
        "_positional",
        "definition",
        "description",
        "fn",
        "is_async",
        "name",
        "requires_approval",
        "timeout",
    )

    def __init__(
        self,
        fn: Callable[P, R],
        *,
        name: str | None = None,
        description: str | None = None,
        requires_approval: ApprovalRule = False,
        timeout: float | None = None,
        strict: bool | None = None,
        cache: CacheTTL = False,
    ) -> None:
        if not callable(fn):
            raise ConfigurationError(f"a tool needs a function, got {type(fn).__name__}")
        if not isinstance(requires_approval, bool) and not callable(requires_approval):
            raise ConfigurationError(
                "requires_approval takes a bool or a predicate on the arguments, "
                f"got {type(requires_approval).__name__}"
            )
        self.fn = fn
        self.timeout = _check_timeout(timeout)
        self.name: str = name or str(getattr(fn, "__name__", ""))
        if not self.name or self.name == "<lambda>":
            raise ConfigurationError(
                f"this callable ({fn!r:.60}) has no usable name: give the tool one with name="
            )
        doc = parse_docstring(inspect.getdoc(fn))
        self.description: str = doc.description if description is None else description
        self.requires_approval = requires_approval
        self.is_async = inspect.iscoroutinefunction(fn)
        self._model, self._positional = _arguments_model(fn, self.name, doc.params)
        self._names: tuple[str, ...] = tuple(inspect.signature(fn).parameters)
        schema = self._model.model_json_schema(mode="validation")
        schema.pop("title", None)
        self.definition = ToolDefinition(self.name, self.description, schema, strict, cache)

    @staticmethod
    def from_function(
        fn: Callable[P2, R2],
        *,
        name: str | None = None,
        description: str | None = None,
        requires_approval: ApprovalRule = False,
        timeout: float | None = None,
        strict: bool | None = None,
        cache: CacheTTL = False,
    ) -> Tool[P2, R2]:
        """The tool for ``fn`` (the same as ``tl.tool(...)(fn)``)."""
        return Tool(
            fn,
            name=name,
            description=description,
            requires_approval=requires_approval,
            timeout=timeout,
            strict=strict,
            cache=cache,
        )

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Tool({self.name!r})"

    def validate(self, arguments: str | Mapping[str, Any]) -> dict[str, Any]:
        """The model's arguments (JSON text or a mapping) validated into the parameters'
        types, by parameter name. Raises ``pydantic.ValidationError`` when they do not fit."""
        if isinstance(arguments, str):
            model = self._model.model_validate_json(arguments or "{}")
        else:
            model = self._model.model_validate(dict(arguments))
        return {name: getattr(model, name) for name in self._names}

    def dump(self, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """Validated arguments as JSON-able values (what the record and the state keep)."""
        dumped: dict[str, Any] = self._model.model_validate(dict(arguments)).model_dump(mode="json")
        return dumped

    def needs_approval(self, arguments: Mapping[str, Any]) -> bool:
        """Whether a call with these validated arguments waits for a human decision."""
        rule = self.requires_approval
        return rule if isinstance(rule, bool) else bool(rule(arguments))

    def invoke(self, arguments: Mapping[str, Any]) -> Any:
        """Call the function with validated arguments (a coroutine for an async function)."""
        positional = [arguments[n] for n in self._positional]
        keywords = {k: v for k, v in arguments.items() if k not in self._positional}
        return self.fn(*positional, **keywords)  # pyright: ignore[reportCallIssue]


_MEDIA_RESULTS = (ImagePart, DocumentPart, AudioPart)


def result_parts(value: Any) -> tuple[Part, ...]:
    """The media a tool returned (an image, a document, audio, or a list of them with
    strings and text parts), sent back as parts of the tool result; ``()`` for any other
    value (it is serialized to text)."""
    many: Any = value  # (a list of unknown items)
    items: tuple[Any, ...] = tuple(many) if isinstance(value, (list, tuple)) else (value,)
    if not any(isinstance(i, _MEDIA_RESULTS) for i in items):
        return ()
    if not all(isinstance(i, (str, TextPart, *_MEDIA_RESULTS)) for i in items):
        return ()
    return tuple(TextPart(i) if isinstance(i, str) else cast(Part, i) for i in items)


def serialize_result(value: Any) -> str:
    """A tool's return value as text for the model: a ``str`` as is; a pydantic model, a
    dataclass or any JSON-able value as JSON (through pydantic; other objects by ``str``)."""
    if isinstance(value, str):
        return value
    parts = result_parts(value)
    if parts:
        return text_of(parts)
    from pydantic_core import to_json

    return to_json(value, fallback=str).decode()


def _arguments_model(
    fn: Callable[..., Any], name: str, documented: Mapping[str, str]
) -> tuple[Any, tuple[str, ...]]:
    """The pydantic model of ``fn``'s parameters, and the names passed positionally."""
    from pydantic import ConfigDict, Field, create_model

    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"tool {name!r}: cannot read the signature: {exc}") from None
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:
        raise ConfigurationError(
            f"tool {name!r}: cannot resolve the parameter annotations: {exc}"
        ) from None
    fields: dict[str, Any] = {}
    positional: list[str] = []
    for param in signature.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ConfigurationError(
                f"tool {name!r}: *{param.name} / **{param.name} cannot be offered to a model; "
                "give every parameter a name and a type"
            )
        if param.name.startswith("_"):
            raise ConfigurationError(
                f"tool {name!r}: parameter {param.name!r} starts with an underscore, which "
                "pydantic cannot take as a field; rename it"
            )
        annotation: Any = hints.get(param.name, Any)
        if param.name in documented and not _has_description(annotation):
            annotation = Annotated[annotation, Field(description=documented[param.name])]
        default: Any = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (annotation, default)
        if param.kind is param.POSITIONAL_ONLY:
            positional.append(param.name)
    try:
        model = create_model(  # pyright: ignore[reportCallIssue, reportUnknownVariableType]
            f"{name}_arguments",
            __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=False),
            **fields,
        )
    except Exception as exc:
        raise ConfigurationError(
            f"tool {name!r}: its parameters cannot be described to a model: {exc}"
        ) from None
    return model, tuple(positional)


def _has_description(annotation: Any) -> bool:
    from pydantic.fields import FieldInfo

    if typing.get_origin(annotation) is not Annotated:
        return False
    return any(
        isinstance(m, FieldInfo) and m.description for m in getattr(annotation, "__metadata__", ())
    )


@overload
def tool(fn: Callable[P, R], /) -> Tool[P, R]: ...
@overload
def tool(
    *,
    name: str | None = None,
    description: str | None = None,
    requires_approval: ApprovalRule = False,
    timeout: float | None = None,
    strict: bool | None = None,
    cache: CacheTTL = False,
) -> Callable[[Callable[P, R]], Tool[P, R]]: ...
def tool(
    fn: Callable[P, R] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    requires_approval: ApprovalRule = False,
    timeout: float | None = None,
    strict: bool | None = None,
    cache: CacheTTL = False,
) -> Tool[P, R] | Callable[[Callable[P, R]], Tool[P, R]]:
    """Make a tool from a typed function, bare (``@tl.tool``) or with options
    (``@tl.tool(requires_approval=True, timeout=5)``). ``cache=True`` (or ``"5m"``/``"1h"``)
    puts an Anthropic prompt-cache breakpoint after this tool's definition (tools are
    rendered first, so everything up to it may be cached; other wires cache on their own).

    >>> import typedllm as tl
    >>> @tl.tool
    ... def add(a: int, b: int = 1) -> int:
    ...     '''Add two numbers.
    ...
    ...     Args:
    ...         a: the first number.
    ...         b: the second number.
    ...     '''
    ...     return a + b
    >>> add(2, b=3)
    5
    >>> add.definition.parameters["properties"]["a"]["description"]
    'the first number.'
    """

    def make(function: Callable[P, R]) -> Tool[P, R]:
        return Tool(
            function,
            name=name,
            description=description,
            requires_approval=requires_approval,
            timeout=timeout,
            strict=strict,
            cache=cache,
        )

    return make if fn is None else make(fn)
