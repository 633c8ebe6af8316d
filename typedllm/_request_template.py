"""The first request of a string-prompt call, from a per-client template (throughput).

A pipeline sends the same request again and again with only the prompt changed: the same
model, options, schema, URL and headers. Encoding that request (the body dict, its JSON, the
host's placement, the static credential) is most of what a call costs the client besides the
answer, so for a plain string prompt the flow takes the final request from a template made
once per (client configuration, schema): the placed request of a marker prompt, its body cut
around the marker's JSON string. The prompt's own JSON string goes in the cut.

The template is used only where it is exactly what the general path would send:

* the wire's encoder treats a text prompt as an opaque JSON string (the wires in
  :data:`_OPAQUE_TEXT_WIRES`, whose encoders were read for this: no decision depends on the
  text);
* the host is a plain :class:`~typedllm.hosts.Host` and the auth step is static (no
  credential that changes per request, no signature over the body);
* nobody listens for events (the events report the chat request, which the template skips);
* no per-call options (they would be merged per call), a non-empty prompt, no stream.

A template is checked when it is made: a probe prompt with quotes, escapes and non-ASCII text
must give the same bytes, URL and headers through the template as through the general path,
or the configuration gets no template. ``tests/test_request_template.py`` compares both paths
on every kind of client that can take one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import orjson

from ._messages import Message
from ._records import positional_maker
from ._wire import WireRequest
from .hosts import HeaderAuth, Host

if TYPE_CHECKING:
    from ._config import ClientConfig
    from ._options import CallOptions
    from .codecs._base import OutputSpec

__all__ = ["FirstRequest", "RequestTemplate", "template_for"]

_OPAQUE_TEXT_WIRES = frozenset({"openai-chat"})
"""Wires whose encoder puts a user text into the body as it is, deciding nothing on it."""

_MARKER = "typedllm-template-prompt-5d0c9e41a7b3"
_PROBE = 'a probe: "quoted", back\\slash, tab\t, newline\n, \u00e9\u2603\U0001f600 </script>'


@dataclass(slots=True)
class FirstRequest:
    """What the general path makes of a call's first round (see :func:`template_for`)."""

    request: WireRequest
    system: tuple[Message, ...]
    """The messages the configuration puts before the caller's (its system prompt)."""
    options: CallOptions
    spec: OutputSpec | None


FirstRequestOf = Callable[[Any, Any, bool, str], FirstRequest]
"""The general path's first request: ``(context, schema, has_schema, prompt)`` (raises what
the general path raises; a module function, so no closure is made per call)."""


@dataclass(slots=True)
class RequestTemplate:
    """The placed first request of one (configuration, schema), cut around the prompt."""

    config: ClientConfig
    """Kept so that the configuration's id is not reused while the template is cached."""
    schema: Any
    method: Literal["GET", "POST", "PUT", "DELETE"]
    url: str
    headers: Mapping[str, str]
    prefix: bytes
    suffix: bytes
    system: tuple[Message, ...]
    """The configuration's system message, before the caller's (or nothing)."""
    options: CallOptions
    spec: OutputSpec | None

    def request(self, prompt: str) -> WireRequest | None:
        """The final request for ``prompt`` (``None`` for a text JSON cannot hold, a lone
        surrogate: the general path names the problem)."""
        try:
            text = orjson.dumps(prompt)
        except orjson.JSONEncodeError:
            return None
        body = self.prefix + text + self.suffix
        # The headers are shared by every request of the template: a WireRequest's headers
        # are a read-only Mapping, and the drivers copy them into their own.
        return _make_request(self.method, self.url, self.headers, body)


_make_request = positional_maker(WireRequest)

_TEMPLATES: dict[tuple[int, Any, bool], RequestTemplate | None] = {}
"""Templates by (configuration id, schema, has_schema); ``None``: this one cannot have one."""
_MAX_TEMPLATES = 256


def template_for(
    config: ClientConfig,
    prompt: Any,
    schema: Any,
    has_schema: bool,
    first_request: FirstRequestOf,
    context: Any,
) -> RequestTemplate | None:
    """The template for a call of ``config`` with ``prompt`` and ``schema`` (and no per-call
    options, nobody listening: the caller checks), or ``None`` when the call takes the general
    path. ``first_request(context, schema, has_schema, prompt)`` is the general path, used to
    make and check the template."""
    if type(prompt) is not str or not prompt:
        return None
    key = (id(config), schema, has_schema)
    try:
        template = _TEMPLATES[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable schema form
        return None
    else:
        if template is None or template.config is config:
            return template
    template = (
        _made(config, schema, lambda text: first_request(context, schema, has_schema, text))
        if _takes_template(config)
        else None
    )
    if len(_TEMPLATES) >= _MAX_TEMPLATES:
        _TEMPLATES.clear()
    _TEMPLATES[key] = template
    return template


def _takes_template(config: ClientConfig) -> bool:
    auth = config.auth
    return (
        config.wire in _OPAQUE_TEXT_WIRES
        and type(config.host) is Host
        and (auth is None or type(auth) is HeaderAuth)
    )


def _made(
    config: ClientConfig, schema: Any, first_request: Callable[[str], FirstRequest]
) -> RequestTemplate | None:
    """A checked template, or ``None`` (errors of the general path are left to it)."""
    try:
        marked = first_request(_MARKER)
        probe = first_request(_PROBE).request
    except Exception:  # the general path raises the same error, where it belongs
        return None
    quoted = orjson.dumps(_MARKER)
    request = marked.request
    if request.body.count(quoted) != 1:
        return None
    prefix, suffix = request.body.split(quoted)
    template = RequestTemplate(
        config,
        schema,
        request.method,
        request.url,
        dict(request.headers),
        prefix,
        suffix,
        marked.system,
        marked.options,
        marked.spec,
    )
    made = template.request(_PROBE)
    if made is None or (made.url, dict(made.headers), made.body) != (
        probe.url,
        dict(probe.headers),
        probe.body,
    ):
        return None
    return template
