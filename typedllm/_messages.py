"""The provider-neutral conversation model: messages made of content parts (frozen values).

A :class:`Message` has a role and a tuple of parts, in order:

* input parts: :class:`TextPart`, :class:`ImagePart`, :class:`DocumentPart`, :class:`AudioPart`
  (user messages; text and media in tool results where the wire allows it), and
  :class:`CachePoint` markers (a prompt-cache breakpoint after the part before it);
* answer parts (assistant messages): :class:`TextPart` (with :class:`Citation`\\ s),
  :class:`ReasoningPart` (thinking, with the provider's signature so it can be sent back),
  :class:`RefusalPart`, :class:`ToolCall`, and :class:`OpaquePart` for what a provider
  returns that typedllm does not model (kept to be sent back unchanged).

A plain ``str`` is accepted wherever content is (it becomes one text part). ``Message.content``
is the text of the message (its text parts joined), ``Message.parts`` everything. Tool results
are messages with role ``"tool"`` that answer a call by its id (:func:`tool_result`).

Codecs translate these to and from each provider's wire format; nothing here knows HTTP.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Union, cast, get_args, overload

from ._errors import ConfigurationError
from ._media import media_type_of_url, read_source, sniff_media_type
from ._records import positional_maker

__all__ = [
    "AudioPart",
    "CachePoint",
    "Citation",
    "Content",
    "DocumentPart",
    "ImagePart",
    "InputPart",
    "Message",
    "OpaquePart",
    "Part",
    "Prompt",
    "ReasoningPart",
    "RefusalPart",
    "Role",
    "TextPart",
    "ToolCall",
    "assistant",
    "audio",
    "cache_point",
    "calls_of",
    "document",
    "image",
    "reasoning_of",
    "system",
    "text_of",
    "tool_result",
    "trusted_text",
    "user",
]

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the model cited for a piece of its answer (where the provider reports one).

    Attributes:
        cited_text: the quoted passage, when the provider gives it.
        url: the web source (search results, grounding).
        title: the source's or document's title.
        start, end: character offsets of the cited passage (in the answer or in the document,
            as the provider reports them).
        source: where it points, e.g. a document index (``"document:0"``) or the citation kind.
    """

    cited_text: str | None = None
    url: str | None = None
    title: str | None = None
    start: int | None = None
    end: int | None = None
    source: str | None = None
    raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TextPart:
    """Text; in answers, with the citations the provider attached to it (and Gemini's
    ``thoughtSignature`` when the text carried one, sent back with it)."""

    text: str
    citations: tuple[Citation, ...] = ()
    signature: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image, by URL or as bytes with their media type. Make one with :func:`image`.

    ``detail`` is OpenAI's resolution hint (``"low"``, ``"high"``, ``"auto"``).
    """

    url: str | None = None
    data: bytes | None = field(default=None, repr=False)
    media_type: str | None = None
    detail: Literal["auto", "low", "high"] | None = None
    file_id: str | None = None
    """A file uploaded to the provider's Files API (Anthropic ``file_...``, OpenAI
    ``file-...``), instead of a URL or bytes; only that provider can read it."""

    def __post_init__(self) -> None:
        _one_source("image", self.url, self.data, self.media_type, self.file_id)


@dataclass(frozen=True, slots=True)
class DocumentPart:
    """A document (PDF, plain text ...), by URL or as bytes. Make one with :func:`document`."""

    url: str | None = None
    data: bytes | None = field(default=None, repr=False)
    media_type: str | None = "application/pdf"
    title: str | None = None
    file_id: str | None = None
    """A file uploaded to the provider's Files API (Anthropic ``file_...``, OpenAI
    ``file-...``), instead of a URL or bytes; only that provider can read it."""

    def __post_init__(self) -> None:
        _one_source("document", self.url, self.data, self.media_type, self.file_id)


@dataclass(frozen=True, slots=True)
class AudioPart:
    """Audio input as bytes (or a URL where the provider fetches audio). Make one with
    :func:`audio`; ``media_type`` is e.g. ``audio/wav`` or ``audio/mpeg``."""

    url: str | None = None
    data: bytes | None = field(default=None, repr=False)
    media_type: str | None = None

    def __post_init__(self) -> None:
        _one_source("audio", self.url, self.data, self.media_type)

    @property
    def format(self) -> str:
        """The short format name (``wav``, ``mp3`` ...) OpenAI's ``input_audio`` expects."""
        subtype = (self.media_type or "").partition("/")[2]
        return {"mpeg": "mp3", "x-wav": "wav", "wave": "wav"}.get(subtype, subtype)


@dataclass(frozen=True, slots=True)
class CachePoint:
    """A prompt-cache breakpoint: the content up to here may be cached (Anthropic
    ``cache_control``; other wires cache automatically and ignore the marker)."""

    ttl: Literal["5m", "1h"] | None = None


@dataclass(frozen=True, slots=True)
class ReasoningPart:
    """Reasoning (thinking) the model returned.

    ``signature`` is the provider's opaque proof of the reasoning (Anthropic ``signature``,
    Gemini ``thoughtSignature``); ``redacted`` holds Anthropic's encrypted
    ``redacted_thinking`` data. Both must be sent back unchanged to continue a conversation, so
    they are kept; ``provider`` says whose they are (they are only sent back to that provider).
    """

    text: str
    signature: str | None = field(default=None, repr=False)
    redacted: str | None = field(default=None, repr=False)
    provider: str | None = None
    source: str | None = field(default=None, repr=False, compare=False)
    """The wire field it came in (``reasoning_content``, ``reasoning`` ...), for hosts that
    want it back in the same field (DeepSeek's thinking mode with tool calls)."""


@dataclass(frozen=True, slots=True)
class OpaquePart:
    """A piece of an answer typedllm does not model (Anthropic server-tool calls and their
    results, ...), kept exactly as the provider sent it so that it can be sent back to the
    same provider; other providers never see it."""

    provider: str
    data: Mapping[str, Any] = field(repr=False)

    @property
    def kind(self) -> str:
        """The provider's name for it: Anthropic's block ``type``, Gemini's part key
        (``toolCall``, ``executableCode`` ...)."""
        if "type" in self.data:
            return str(self.data["type"])
        keys = [k for k in self.data if k not in ("thoughtSignature", "thought_signature")]
        return keys[0] if keys else ""


@dataclass(frozen=True, slots=True)
class RefusalPart:
    """The model's refusal to answer (OpenAI's ``refusal`` field)."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A function call the model asked for: ``arguments`` is the raw JSON text it produced.

    ``signature`` is Gemini's ``thoughtSignature`` for the call, sent back with it.
    """

    id: str
    name: str
    arguments: str
    signature: str | None = field(default=None, repr=False, compare=False)


InputPart = Union[TextPart, ImagePart, DocumentPart, AudioPart, CachePoint]
"""A part of a prompt message."""

Part = Union[
    TextPart,
    ImagePart,
    DocumentPart,
    AudioPart,
    CachePoint,
    ReasoningPart,
    RefusalPart,
    ToolCall,
    OpaquePart,
]
"""Any content part."""

Content = Union[str, Sequence[Union[str, Part]]]
"""What message constructors accept: a string, or a sequence of strings and parts."""

_PART_TYPES: tuple[type, ...] = get_args(Part)  # the members of the Part union
_MEDIA = (ImagePart, DocumentPart, AudioPart)
_ANSWER_ONLY = (ReasoningPart, RefusalPart, ToolCall, OpaquePart)
_ROLES = ("system", "user", "assistant", "tool")


def _one_source(
    what: str,
    url: str | None,
    data: bytes | None,
    media_type: str | None,
    file_id: str | None = None,
) -> None:
    given = [v for v in (url, data, file_id) if v is not None]
    if len(given) != 1:
        extra = ", data= or file_id=" if what in ("image", "document") else " or data="
        raise ConfigurationError(f"a {what} part needs exactly one of url={extra}")
    if file_id is not None and (not isinstance(file_id, str) or not file_id):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"a {what} part's file_id must be a non-empty str")
    if data is not None and not media_type:
        raise ConfigurationError(f"a {what} given as bytes needs its media_type")


def _parts(content: object, role: str) -> tuple[Part, ...]:
    if isinstance(content, str):
        return (TextPart(content),) if content else ()
    if isinstance(content, (bytes, bytearray)):
        raise ConfigurationError(
            "message content is bytes: wrap media in tl.image(...)/tl.document(...)/"
            "tl.audio(...), or decode text to str"
        )
    if not isinstance(content, Sequence):
        raise ConfigurationError(
            f"{role} message content must be a str or a sequence of parts, "
            f"got {type(content).__name__}"
        )
    parts: list[Part] = []
    for item in content:  # pyright: ignore[reportUnknownVariableType]
        if isinstance(item, str):
            parts.append(TextPart(item))
        elif isinstance(item, _PART_TYPES):
            parts.append(cast(Part, item))
        else:
            raise ConfigurationError(
                f"unsupported part in a {role} message: {type(item).__name__} "  # pyright: ignore[reportUnknownArgumentType]
                "(use str, tl.image(), tl.document(), tl.audio() or a part type)"
            )
    return tuple(parts)


def _tool_calls(calls: object) -> tuple[ToolCall, ...]:
    if isinstance(calls, ToolCall) or not isinstance(calls, Sequence) or isinstance(calls, str):
        raise ConfigurationError(
            f"tool_calls must be a sequence of tl.ToolCall, got {type(calls).__name__}"
        )
    out: list[ToolCall] = []
    for call in calls:  # pyright: ignore[reportUnknownVariableType]
        if not isinstance(call, ToolCall):
            raise ConfigurationError(
                f"tool_calls must hold tl.ToolCall values, got {type(call).__name__}"  # pyright: ignore[reportUnknownArgumentType]
            )
        out.append(call)
    return tuple(out)


def _check_roles(role: str, parts: tuple[Part, ...]) -> None:
    for part in parts:
        if isinstance(part, _ANSWER_ONLY) and role != "assistant":
            raise ConfigurationError(
                f"{type(part).__name__} belongs in assistant messages, not in a {role} message"
            )
        if isinstance(part, _MEDIA) and role in ("system", "assistant"):
            raise ConfigurationError(
                f"{type(part).__name__} is input: put it in a user message (or a tool result), "
                f"not in a {role} message"
            )


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """One chat message: a role and its content parts. Build them with :func:`system`,
    :func:`user`, :func:`assistant` and :func:`tool_result`.

    Attributes:
        role: ``"system"``, ``"user"``, ``"assistant"`` or ``"tool"`` (a tool result).
        parts: the content, in order.
        tool_call_id: for tool results, the id of the call being answered.
        name: for tool results, the name of the tool (found from the call when not given).
        is_error: for tool results, whether the tool failed (the content says how).
    """

    role: Role
    parts: tuple[Part, ...]
    tool_call_id: str | None
    name: str | None
    is_error: bool

    @overload
    def __init__(
        self,
        role: Literal["system", "user", "assistant"],
        content: Content = (),
        tool_calls: Sequence[ToolCall] = (),
    ) -> None: ...
    @overload
    def __init__(
        self,
        role: Literal["tool"],
        content: Content,
        *,
        tool_call_id: str,
        name: str | None = None,
        is_error: bool = False,
    ) -> None: ...
    def __init__(
        self,
        role: Role,
        content: Content = (),
        tool_calls: Sequence[ToolCall] = (),
        *,
        tool_call_id: str | None = None,
        name: str | None = None,
        is_error: bool = False,
    ) -> None:
        if role not in _ROLES:
            raise ConfigurationError(f"unknown message role {role!r}: one of {_ROLES}")
        parts = _parts(content, role) + _tool_calls(tool_calls)
        _check_roles(role, parts)
        if role == "system" and any(not isinstance(p, (TextPart, CachePoint)) for p in parts):
            raise ConfigurationError("a system message holds text only")
        if role == "tool":
            if not isinstance(tool_call_id, str) or not tool_call_id:
                raise ConfigurationError("a tool result needs the tool_call_id it answers")
        elif tool_call_id is not None or name is not None or is_error:
            raise ConfigurationError("tool_call_id, name and is_error are for tool results only")
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "parts", parts)
        object.__setattr__(self, "tool_call_id", tool_call_id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "is_error", bool(is_error))

    @classmethod
    def _trusted(cls, role: Role, parts: tuple[Part, ...]) -> Message:
        """A message from parts a decoder built (already valid): no checks, no copies."""
        if cls is Message:
            return _make_message(role, parts, None, None, False)
        message = object.__new__(cls)
        object.__setattr__(message, "role", role)
        object.__setattr__(message, "parts", parts)
        object.__setattr__(message, "tool_call_id", None)
        object.__setattr__(message, "name", None)
        object.__setattr__(message, "is_error", False)
        return message

    @property
    def content(self) -> str:
        """The message's text: its text parts joined (``""`` when there is none)."""
        return text_of(self.parts)

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """The tool calls of an assistant message."""
        return calls_of(self.parts)

    @property
    def reasoning(self) -> str | None:
        """The reasoning text of an assistant message, if any."""
        return reasoning_of(self.parts)


_make_message = positional_maker(Message)
_make_text = positional_maker(TextPart)


def trusted_text(text: str) -> TextPart:
    """A :class:`TextPart` of ``text`` with no citations (built fast: ``text`` is a str)."""
    return _make_text(text, (), None)


def text_of(parts: Sequence[Part]) -> str:
    """The text parts of ``parts`` joined."""
    return "".join(p.text for p in parts if isinstance(p, TextPart))


def calls_of(parts: Sequence[Part]) -> tuple[ToolCall, ...]:
    """The tool calls among ``parts``, in order."""
    if len(parts) == 1 and type(parts[0]) is TextPart:  # the common answer
        return ()
    return tuple(p for p in parts if isinstance(p, ToolCall))


def reasoning_of(parts: Sequence[Part]) -> str | None:
    """The reasoning text among ``parts`` (``None`` when there is no reasoning part)."""
    if len(parts) == 1 and type(parts[0]) is TextPart:  # the common answer
        return None
    texts = [p.text for p in parts if isinstance(p, ReasoningPart)]
    return "".join(texts) if texts else None


def _text_only(content: str, what: str) -> str:
    if not isinstance(content, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"{what} takes a str, got {type(content).__name__}")
    return content


def system(content: str) -> Message:
    """A system (instructions) message. Reasoning models receive it as a developer message.

    Several system messages stay separate where the wire allows it (Anthropic and Gemini take
    a list of system blocks)."""
    return Message("system", _text_only(content, "tl.system()"))


def user(content: Content) -> Message:
    """A user message: a string, or a list of strings and parts.

    >>> import typedllm as tl
    >>> tl.user("Hello").content
    'Hello'
    >>> msg = tl.user(["Describe this", tl.image("https://example.com/cat.png")])
    """
    return Message("user", content)


def assistant(content: Content = "", *, tool_calls: Sequence[ToolCall] = ()) -> Message:
    """An assistant message: a previous answer of the model (for few-shot or history), with
    the tool calls it made."""
    return Message("assistant", content, tool_calls)


def tool_result(
    call_id: str, content: Content, *, is_error: bool = False, name: str | None = None
) -> Message:
    """The result of running the tool call ``call_id``: text (or text and media parts where
    the wire allows it). ``is_error=True`` tells the model the tool failed (Anthropic's
    ``is_error`` flag, Gemini's ``error`` response; on the wires without a flag the codec
    prefixes the text with ``Error: ``).

    >>> import typedllm as tl
    >>> tl.tool_result("call_1", '{"temperature": 21}').role
    'tool'
    """
    return Message("tool", content, tool_call_id=call_id, name=name, is_error=is_error)


def _media_part_source(
    source: str | bytes | os.PathLike[str], what: str, media_type: str | None
) -> tuple[str | None, bytes | None, str | None]:
    url, data, declared, guessed = read_source(source, what)
    if data is not None:
        media_type = media_type or declared or sniff_media_type(data) or guessed
        if not media_type:
            raise ConfigurationError(
                f"{what}: cannot tell the media type of these bytes; pass media_type="
            )
    elif url is not None:
        media_type = media_type or media_type_of_url(url)
    return url, data, media_type


def image(
    source: str | bytes | os.PathLike[str] | None = None,
    *,
    media_type: str | None = None,
    detail: Literal["auto", "low", "high"] | None = None,
    file_id: str | None = None,
) -> ImagePart:
    """An image part from a URL, a ``data:`` URL, a file path or bytes (the media type is read
    from the bytes' signature, else the file name, when not given), or a provider's uploaded
    ``file_id``."""
    if file_id is not None or source is None:
        if source is not None:
            raise ConfigurationError("pass a source or file_id=, not both")
        return ImagePart(media_type=media_type, detail=detail, file_id=file_id)
    url, data, kind = _media_part_source(source, "tl.image()", media_type)
    if kind is not None and not kind.startswith("image/"):
        raise ConfigurationError(f"tl.image() got {kind} content; use tl.document()/tl.audio()")
    return ImagePart(url=url, data=data, media_type=kind, detail=detail)


def document(
    source: str | bytes | os.PathLike[str] | None = None,
    *,
    media_type: str | None = None,
    title: str | None = None,
    file_id: str | None = None,
) -> DocumentPart:
    """A document part (PDF by default; plain text and others where the provider takes them)
    from a URL, a file path or bytes, or a provider's uploaded ``file_id``."""
    if file_id is not None or source is None:
        if source is not None:
            raise ConfigurationError("pass a source or file_id=, not both")
        return DocumentPart(media_type=media_type, title=title, file_id=file_id)
    url, data, kind = _media_part_source(source, "tl.document()", media_type)
    if kind is not None and kind.startswith(("image/", "audio/")):
        raise ConfigurationError(f"tl.document() got {kind} content; use tl.image()/tl.audio()")
    return DocumentPart(url=url, data=data, media_type=kind or "application/pdf", title=title)


def audio(source: str | bytes | os.PathLike[str], *, media_type: str | None = None) -> AudioPart:
    """An audio part (wav, mp3, flac ...) from bytes, a file path or a URL."""
    url, data, kind = _media_part_source(source, "tl.audio()", media_type)
    if kind is not None and not kind.startswith("audio/"):
        raise ConfigurationError(f"tl.audio() got {kind} content")
    return AudioPart(url=url, data=data, media_type=kind)


def cache_point(ttl: Literal["5m", "1h"] | None = None) -> CachePoint:
    """A prompt-cache breakpoint to put after the content that should be cached."""
    return CachePoint(ttl)


Prompt = Union[str, Sequence[Message]]
"""What ``complete`` accepts: a plain user prompt, or a sequence of messages."""
