"""A host: where a wire's requests go (base URL, paths, query parameters, default headers)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from .._errors import ConfigurationError
from .._wire import EncodedRequest, Secret, WireRequest, is_sensitive_header

__all__ = ["Host", "join_url", "mask_url"]

HeaderValue = str | Secret


@functools.lru_cache(maxsize=512)
def _join(base_url: str, path: str, query: tuple[tuple[str, str], ...]) -> str:
    parts = urlsplit(base_url)
    full_path = parts.path.rstrip("/") + (path if path.startswith("/") or not path else "/" + path)
    # The base URL's own query is kept exactly as written (``?flag`` stays ``?flag``).
    extra = urlencode(list(query))
    joined = "&".join(q for q in (parts.query, extra) if q)
    return urlunsplit((parts.scheme, parts.netloc, full_path, joined, ""))


def join_url(base_url: str, path: str, query: Sequence[tuple[str, str]] = ()) -> str:
    """``path`` below ``base_url``, with the base's own query string kept and ``query`` added.

    >>> join_url("https://x.example/openai?api-version=2024-10-21", "/chat/completions")
    'https://x.example/openai/chat/completions?api-version=2024-10-21'
    """
    # Cached: a client sends to the same few URLs again and again.
    return _join(base_url, path, tuple(query))


def mask_url(url: str) -> str:
    """``url`` with a password in its userinfo replaced by ``***``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit((parts.scheme, f"{user}:***@{hostport}", parts.path, parts.query, ""))


@dataclass(frozen=True, slots=True)
class Host:
    """Where requests go, apart from how their bodies look (the wire) and how they are
    authenticated (the auth step).

    Attributes:
        name: the host's name in errors and events (``"openai"``, ``"vertex"`` ...).
        base_url: the base URL; a query string in it is kept (``...?api-version=X``).
        headers: default headers (values of credential headers are :class:`Secret`\\ s).
        query: query parameters added to every request.
        paths: ``(operation, path template)`` pairs that replace the wire's default path for
            an operation (``{model}`` is replaced by the model name), e.g. Azure's
            ``("chat", "/openai/deployments/{model}/chat/completions")``.
    """

    name: str
    base_url: str
    headers: tuple[tuple[str, HeaderValue], ...] = ()
    query: tuple[tuple[str, str], ...] = ()
    paths: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.base_url, str) or not self.base_url.startswith(  # pyright: ignore[reportUnnecessaryIsInstance]
            ("http://", "https://")
        ):
            raise ConfigurationError(f"base_url must be an http(s) URL, got {self.base_url!r}")

    def __repr__(self) -> str:
        names = [name for name, _ in self.headers]
        return f"Host(name={self.name!r}, base_url={mask_url(self.base_url)!r}, headers={names!r})"

    def with_headers(self, headers: Mapping[str, str]) -> Host:
        """A copy with more default headers (credential headers are kept as secrets)."""
        extra = tuple((k, Secret(v) if is_sensitive_header(k) else v) for k, v in headers.items())
        return Host(self.name, self.base_url, (*self.headers, *extra), self.query, self.paths)

    def secrets(self) -> tuple[str, ...]:
        """Credential values this host sends (to scrub from errors a server echoes)."""
        return tuple(v.get() for _, v in self.headers if isinstance(v, Secret))

    def path_for(self, operation: str, default: str, model: str) -> str:
        """The path of ``operation`` for ``model`` on this host; a streaming operation
        (``chat_stream``) uses its plain operation's override (``chat``) unless it has its
        own (Bedrock streams on another path, Azure on the same one)."""
        if not self.paths:
            return default
        overrides = dict(self.paths)
        template = overrides.get(operation)
        if template is None and operation.endswith("_stream"):
            template = overrides.get(operation.removesuffix("_stream"))
        return default if template is None else template.replace("{model}", model)

    def prepare(
        self,
        encoded: EncodedRequest,
        model: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> WireRequest:
        """The request at its final URL; the host's headers (the user's among them) win over
        the wire's, and ``extra`` (a static credential) over both."""
        query = (*self.query, *encoded.query) if self.query or encoded.query else ()
        url = join_url(self.base_url, self.path_for(encoded.operation, encoded.path, model), query)
        headers = {k.lower(): v for k, v in encoded.headers.items()}
        for name, value in self.headers:
            headers[name.lower()] = value.get() if isinstance(value, Secret) else value
        for name, value in extra:
            headers[name.lower()] = value
        return WireRequest(encoded.method, url, headers, encoded.body)
