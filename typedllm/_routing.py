"""Routing: choose, per call, the ordered list of clients that may answer it.

Theory of operation. A :class:`Router` builds a candidate list for each call, then hands it to
a :class:`~typedllm._fallback.Fallback` (so routing composes with fallback for free):

1. ``choose(call)``, the user's function, if given (a client or a list of clients);
2. then the clients of every :class:`Rule` whose predicate matches, in rule order;
3. then ``default``.

Duplicates are dropped (the first place wins). With ``check_capabilities`` (the default),
candidates whose catalog :class:`~typedllm.ModelInfo` says they cannot take the call are left
out: images need a vision model, PDFs a model that reads PDFs, audio a model that hears, tools
a model with tool calling, and the estimated prompt plus the requested output must fit the
context window (:func:`estimate_tokens`). A candidate whose capabilities are not known (a
custom completer, a fallback) is kept. When no candidate is left, :class:`NoRouteError` says
why, before anything is sent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Union

from ._catalog import ModelInfo
from ._client import Client
from ._completion import Completion
from ._errors import ConfigurationError, NoRouteError
from ._fallback import TRANSIENT_ERRORS, ErrorTypes, Fallback, check_completers, error_types
from ._labels import label_of
from ._messages import AudioPart, DocumentPart, ImagePart, Message, Prompt, TextPart, ToolCall
from ._protocol import Call, ClientWrapper, Completer
from ._streams import AsyncStream, Stream

__all__ = ["Router", "Rule", "estimate_tokens", "prompt_text"]

CHARS_PER_TOKEN = 4
"""English text averages about four characters per token in the GPT and Claude tokenizers."""
TOKENS_PER_MESSAGE = 4
"""Role markers and separators around each message."""
TOKENS_PER_MEDIA_PART = 1000
"""An image costs 85-1,600 tokens depending on size and provider (OpenAI: 765 for a
1024x1024 high-detail image); a page of a PDF costs more. One round figure per part."""


def _messages(prompt: Prompt) -> tuple[Message, ...]:
    if isinstance(prompt, str):
        return (Message("user", prompt),)
    return tuple(m for m in prompt if isinstance(m, Message))  # pyright: ignore[reportUnnecessaryIsInstance]


def prompt_text(prompt: Prompt) -> str:
    """The text of a prompt: a string as it is, or the text of every message, one per line
    (what keyword rules match against)."""
    if isinstance(prompt, str):
        return prompt
    return "\n".join(m.content for m in _messages(prompt))


def estimate_tokens(prompt: Prompt) -> int:
    """A rough, deliberately simple estimate of a prompt's input tokens, with no tokenizer:
    one token per 4 characters of text (tool-call names and arguments included, rounded up),
    plus 4 tokens per message and 1,000 per image, document or audio part. Good to tell a
    10k-token prompt from a 200k-token one, not to bill."""
    chars = 0
    media = 0
    messages = _messages(prompt)
    for message in messages:
        for part in message.parts:
            if isinstance(part, TextPart):
                chars += len(part.text)
            elif isinstance(part, ToolCall):
                chars += len(part.name) + len(part.arguments)
            elif isinstance(part, (ImagePart, DocumentPart, AudioPart)):
                media += 1
    return (
        math.ceil(chars / CHARS_PER_TOKEN)
        + TOKENS_PER_MESSAGE * len(messages)
        + TOKENS_PER_MEDIA_PART * media
    )


def model_info_of(client: Completer) -> ModelInfo | None:
    """The catalog record of the model behind ``client`` (through wrappers), if known."""
    while isinstance(client, ClientWrapper):
        client = client.inner
    return client.model_info if isinstance(client, Client) else None


def _needs(call: Call) -> dict[str, str]:
    """The input modalities the prompt needs, each with the reason shown when it is missing."""
    needs: dict[str, str] = {}
    for message in _messages(call.prompt):
        for part in message.parts:
            if isinstance(part, ImagePart):
                needs["image"] = "takes no image input"
            elif isinstance(part, DocumentPart) and part.media_type == "application/pdf":
                needs["pdf"] = "takes no PDF input"
            elif isinstance(part, AudioPart):
                needs["audio"] = "takes no audio input"
    return needs


def unfit(client: Completer, call: Call, tokens: int) -> str | None:
    """Why ``client`` cannot take ``call`` (``None``: it can, or its capabilities are unknown)."""
    info = model_info_of(client)
    if info is None:
        return None
    for modality, reason in _needs(call).items():
        if modality == "image" and info.vision:
            continue
        if modality not in info.modalities_in:
            return reason
    if call.options is not None and call.options.tools and not info.tools:
        return "takes no tools"
    if info.context_window is not None:
        output = call.options.max_tokens if call.options is not None else None
        if output is None and isinstance(client, Client):
            output = client.config.max_tokens
        needed = tokens + (output or 0)
        if needed > info.context_window:
            return (
                f"the prompt (~{tokens} tokens estimated) plus {output or 0} output tokens "
                f"exceed its {info.context_window}-token context window"
            )
    return None


Predicate = Callable[[Call], bool]
Chooser = Callable[[Call], Union[Completer, Sequence[Completer]]]


def _as_clients(value: object, what: str) -> tuple[Completer, ...]:
    if isinstance(value, Completer):
        return (value,)
    if isinstance(value, (list, tuple)):
        return check_completers(value, what)  # pyright: ignore[reportUnknownArgumentType]
    raise ConfigurationError(f"{what} takes a client or a list of clients, got {value!r}")


@dataclass(frozen=True, slots=True, init=False)
class Rule:
    """Route calls for which ``when(call)`` is true to ``to`` (one client or several, tried
    in order). The predicate sees the whole :class:`~typedllm.Call`: the prompt
    (:func:`prompt_text` gives its text), the schema and the options::

        tl.Rule(lambda call: call.schema is Invoice, extractor)
        tl.Rule.keywords("python", "traceback", to=coder)
    """

    when: Predicate
    to: tuple[Completer, ...]

    def __init__(self, when: Predicate, to: Completer | Sequence[Completer]) -> None:
        if not callable(when):
            raise ConfigurationError(f"Rule(when=...) takes a predicate on the call, got {when!r}")
        object.__setattr__(self, "when", when)
        object.__setattr__(self, "to", _as_clients(to, "Rule(to=...)"))

    @classmethod
    def keywords(cls, *words: str, to: Completer | Sequence[Completer]) -> Rule:
        """A rule matching prompts whose text contains any of ``words`` as whole words,
        ignoring case."""
        if not words or not all(isinstance(w, str) and w.strip() for w in words):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("Rule.keywords() takes one or more non-empty words")
        pattern = re.compile(
            r"\b(?:" + "|".join(re.escape(w.strip()) for w in words) + r")\b", re.IGNORECASE
        )
        return cls(_Keywords(pattern), to)

    def __repr__(self) -> str:
        name = getattr(self.when, "__name__", None) or repr(self.when)
        return f"Rule({name}, to=[{', '.join(repr(c) for c in self.to)}])"


@dataclass(frozen=True, slots=True)
class _Keywords:
    """A picklable keyword predicate (a lambda would not pickle)."""

    pattern: re.Pattern[str]

    def __call__(self, call: Call) -> bool:
        return self.pattern.search(prompt_text(call.prompt)) is not None


class Router(Completer):
    """A completer that picks, per call, which clients may answer, then falls back among them.

    The candidates of a call are ``choose(call)`` (if given), then the clients of each matching
    rule, then ``default``; those that cannot take the call are dropped (see the module notes),
    and the rest are tried in order, moving on on the ``on`` errors exactly like
    :func:`~typedllm.fallback`. ``answered_by`` names the client that answered::

        router = tl.Router(
            [tl.Rule.keywords("photo", "image", to=vision_model)],
            default=[cheap_model, big_context_model],
        )
        router.complete(prompt, schema=Invoice)      # -> Invoice

    Args:
        rules: rules, in order.
        default: the clients tried after every matching rule's.
        choose: a function from the call to a client or an ordered list of clients.
        check_capabilities: drop candidates the model catalog says cannot take the call.
        on: the errors that move on to the next candidate (``()``: no fallback).
    """

    __slots__ = ("check_capabilities", "choose", "default", "on", "rules")

    def __init__(
        self,
        rules: Sequence[Rule] = (),
        *,
        default: Completer | Sequence[Completer] = (),
        choose: Chooser | None = None,
        check_capabilities: bool = True,
        on: ErrorTypes = TRANSIENT_ERRORS,
    ) -> None:
        for rule in rules:
            if not isinstance(rule, Rule):  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ConfigurationError(f"Router rules must be tl.Rule values, got {rule!r}")
        if choose is not None and not callable(choose):
            raise ConfigurationError(f"Router(choose=...) takes a function, got {choose!r}")
        self.rules = tuple(rules)
        self.default = _as_clients(default, "Router(default=...)")
        self.choose = choose
        self.check_capabilities = check_capabilities
        self.on = error_types(on)
        if not self.rules and not self.default and choose is None:
            raise ConfigurationError("a Router needs rules, a default or a choose function")

    @property
    def label(self) -> str:
        """``router``: a router is named by the client it picks (``answered_by``)."""
        return "router"

    def __repr__(self) -> str:
        default = ", ".join(repr(c) for c in self.default)
        return f"Router(rules={list(self.rules)!r}, default=[{default}])"

    def candidates(self, call: Call) -> tuple[Completer, ...]:
        """The clients that may answer ``call``, in the order they are tried; raises
        :class:`~typedllm.NoRouteError` when there is none."""
        listed: list[Completer] = []
        if self.choose is not None:
            listed += _as_clients(self.choose(call), "Router(choose=...)'s result")
        for rule in self.rules:
            if rule.when(call):
                listed += rule.to
        listed += self.default
        unique: list[Completer] = []
        for client in listed:
            if all(client is not seen for seen in unique):
                unique.append(client)
        if not unique:
            raise NoRouteError(
                "no rule matched this call and the router has no default",
                ["no rule matched and there is no default"],
            )
        if not self.check_capabilities:
            return tuple(unique)
        tokens = estimate_tokens(call.prompt)
        fit: list[Completer] = []
        reasons: list[str] = []
        for client in unique:
            reason = unfit(client, call, tokens)
            if reason is None:
                fit.append(client)
            else:
                reasons.append(f"{label_of(client)}: {reason}")
        if not fit:
            raise NoRouteError("no client can take this call: " + "; ".join(reasons), reasons)
        return tuple(fit)

    def _plan(self, call: Call) -> Fallback:
        return Fallback(self.candidates(call), on=self.on)

    def _completion(self, call: Call) -> Completion[Any]:
        return self._plan(call)._completion(call)  # pyright: ignore[reportPrivateUsage]

    async def _acompletion(self, call: Call) -> Completion[Any]:
        return await self._plan(call)._acompletion(call)  # pyright: ignore[reportPrivateUsage]

    def _stream(self, call: Call) -> Stream[Any, Any]:
        return self._plan(call)._stream(call)  # pyright: ignore[reportPrivateUsage]

    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        return self._plan(call)._astream(call)  # pyright: ignore[reportPrivateUsage]
