"""The type-state builder for Ollama's native API (``/api/chat``).

``OllamaBuilder[M]``: ``NoModel`` has no ``build()``; ``.model(name)`` takes any name the server
knows (``llama3.2``, ``qwen3:8b``, ``hf.co/...``) and moves to ``CompatibleModel`` (capabilities
unknown: every option is allowed; the server answers what the model cannot do, and the codec
turns that into a typed error with a hint).

The server is found the way Ollama's own clients find it: ``.base_url()``, else the
``OLLAMA_HOST`` environment variable, else ``http://127.0.0.1:11434``. Both accept the forms
the official Python client accepts (https://github.com/ollama/ollama-python, ``_parse_host``):
``host``, ``host:port``, ``:port``, ``http://host[:port][/path]``, ``https://...``, IPv6 in
brackets; a bare host gets port 11434, an ``http://`` or ``https://`` URL without a port keeps
its scheme's default port. ``0.0.0.0`` (what ``OLLAMA_HOST`` says to make the *server* listen
on every interface) means ``127.0.0.1`` when connecting.

No key is needed; an optional bearer key (``.api_key()`` or ``OLLAMA_API_KEY``) is sent for
ollama.com or an authenticating proxy.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, Literal
from urllib.parse import urlsplit

from typing_extensions import Self, TypeVar

from .._catalog import ModelInfo
from .._config import OllamaOptions, OllamaThink
from .._errors import ConfigurationError
from ..hosts import bearer
from ._base import BaseBuilder, BuilderSettings, check_settings
from ._states import CompatibleModel, NoModel

if TYPE_CHECKING:
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint
    from .embeddings import EmbeddingBuilder

__all__ = ["OLLAMA_BASE_URL", "OllamaBuilder", "ollama", "ollama_base_url"]

OLLAMA_BASE_URL = "http://127.0.0.1:11434"
"""Where a local Ollama server listens by default."""

_DEFAULT_PORT = 11434

M = TypeVar("M", covariant=True, default=NoModel)

_MODES = ("format", "json", "prompt")
_THINK_LEVELS = ("low", "medium", "high")
# A Go duration (Ollama parses ``keep_alive`` strings with time.ParseDuration): "5m", "1h30m",
# "300ms", "-1m".
_UNIT = r"(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)"
_DURATION = re.compile(f"-?(?:{_UNIT})+")
# Options with a typed builder method of their own.
_TYPED_OPTIONS = {
    "temperature": ".temperature()",
    "top_p": ".top_p()",
    "top_k": ".top_k()",
    "seed": ".seed()",
    "stop": ".stop()",
    "num_predict": ".max_tokens()",
    "num_ctx": ".num_ctx()",
}


def ollama_base_url(host: str | None) -> str:
    """The base URL for an ``OLLAMA_HOST``-style value (``None`` or empty: the default).

    >>> ollama_base_url("example.com")
    'http://example.com:11434'
    >>> ollama_base_url("0.0.0.0:8080")
    'http://127.0.0.1:8080'
    >>> ollama_base_url("https://ollama.example.com")
    'https://ollama.example.com:443'
    """
    value = (host or "").strip()
    if not value:
        return OLLAMA_BASE_URL
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest, default_port = "http", value, _DEFAULT_PORT
    elif scheme in ("http", "https"):
        default_port = 80 if scheme == "http" else 443
    else:
        raise ConfigurationError(
            f"Ollama host {value!r}: the scheme must be http or https, got {scheme!r}"
        )
    parts = urlsplit(f"{scheme}://{rest}")
    try:
        port = parts.port or default_port
    except ValueError:
        raise ConfigurationError(f"Ollama host {value!r} has an invalid port") from None
    hostname = parts.hostname or "127.0.0.1"
    # The server's "listen everywhere" addresses are not addresses to connect to.
    hostname = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(hostname, hostname)
    if ":" in hostname:
        hostname = f"[{hostname}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{hostname}:{port}" if userinfo else f"{hostname}:{port}"
    path = parts.path.rstrip("/")
    return _server_root(f"{scheme}://{netloc}{path}")


def _server_root(url: str) -> str:
    """The server root: an ``/api`` suffix (the path of the endpoints) is dropped, and
    Ollama's OpenAI-compatible ``/v1`` is refused with what to use instead."""
    if url.endswith("/v1"):
        raise ConfigurationError(
            f"{url} is Ollama's OpenAI-compatible endpoint: give tl.ollama() the server root "
            f"({url[:-3]}), or use tl.openai_compatible(base_url={url!r})"
        )
    return url.removesuffix("/api")


def _positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"{name} must be a positive int, got {value!r}")
    return value


def _keep_alive(value: str | float) -> str | float:
    if isinstance(value, str):
        if not _DURATION.fullmatch(value.strip()):
            raise ConfigurationError(
                f"keep_alive takes a duration such as '5m', '1h' or '30s', or seconds; "
                f"got {value!r}"
            )
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"keep_alive takes a duration string or seconds, got {value!r}")
    return value


def _raw_option(name: str, value: object) -> object:
    typed = _TYPED_OPTIONS.get(name)
    if typed is not None:
        raise ConfigurationError(f"set {name} with {typed}, not .options()")
    ok_scalar = value is None or isinstance(value, (str, int, float, bool))
    ok_list = isinstance(value, (list, tuple)) and all(
        isinstance(v, (str, int, float))
        for v in value  # pyright: ignore[reportUnknownVariableType]
    )
    if not (ok_scalar or ok_list) or value is None:
        raise ConfigurationError(
            f"option {name}={value!r}: options take numbers, strings, booleans or lists of them"
        )
    return list(value) if isinstance(value, tuple) else value  # pyright: ignore[reportUnknownArgumentType,reportUnknownVariableType]


class OllamaBuilder(BaseBuilder, Generic[M]):
    """Builder for a local or remote Ollama server (native ``/api/chat``). Start with
    :func:`typedllm.ollama`.

    >>> import typedllm as tl
    >>> llm = tl.ollama().model("llama3.2").temperature(0).num_ctx(8192).build()
    """

    __slots__ = ("_wire",)

    def __init__(
        self: OllamaBuilder[NoModel],
        settings: BuilderSettings | None = None,
        wire: OllamaOptions | None = None,
    ) -> None:
        super().__init__(settings)
        self._wire = wire or OllamaOptions()

    def _with(self, **changes: Any) -> Self:
        cls: Any = type(self)  # __init__ pins NoModel for callers; copies keep their state
        copy: Self = cls(replace(self._settings, **changes), self._wire)
        return copy

    def _with_wire(self, **changes: Any) -> Self:
        cls: Any = type(self)
        copy: Self = cls(self._settings, replace(self._wire, **changes))
        return copy

    def __repr__(self) -> str:
        return f"{super().__repr__()[:-1]}, think={self._wire.think!r})"

    def base_url(self, url: str) -> Self:
        """The server: a URL (``http://gpu-box:11434``) or any ``OLLAMA_HOST`` form
        (``gpu-box``, ``gpu-box:11434``, ``0.0.0.0``)."""
        if not isinstance(url, str) or not url.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"base_url must be a non-empty string, got {url!r}")
        return self._with(base_url=ollama_base_url(url))

    def model(self, name: str) -> OllamaBuilder[CompatibleModel]:
        """Choose the model by the name the server knows it by (``ollama list``)."""
        if not isinstance(name, str) or not name.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("model name must be a non-empty string")
        info = ModelInfo(name=name, provider="ollama", family="compatible")
        changed: Any = self._with(model=name, model_info=info)
        chosen: OllamaBuilder[CompatibleModel] = changed
        return chosen

    def temperature(
        self: OllamaBuilder[CompatibleModel], value: float
    ) -> OllamaBuilder[CompatibleModel]:
        """Sampling temperature (0 to 2; ``options.temperature``)."""
        self._require_model("temperature")
        return self._with(temperature=self._check_temperature(value))

    def top_p(self: OllamaBuilder[CompatibleModel], value: float) -> OllamaBuilder[CompatibleModel]:
        """Nucleus sampling probability mass (0 to 1; ``options.top_p``)."""
        self._require_model("top_p")
        return self._with(top_p=self._check_top_p(value))

    def top_k(self: OllamaBuilder[CompatibleModel], value: int) -> OllamaBuilder[CompatibleModel]:
        """Sample only from the ``value`` most likely tokens (``options.top_k``)."""
        self._require_model("top_k")
        return self._with(top_k=_positive_int("top_k", value))

    def think(
        self: OllamaBuilder[CompatibleModel], value: OllamaThink
    ) -> OllamaBuilder[CompatibleModel]:
        """Turn thinking on or off (``True``/``False``), or choose a level (``"low"``,
        ``"medium"``, ``"high"``: gpt-oss models take levels). The thinking text is in
        ``Completion.reasoning``. A model without thinking makes the server answer 400."""
        self._require_model("think")
        if not isinstance(value, bool) and value not in _THINK_LEVELS:
            raise ConfigurationError(
                f"think takes True, False or one of {list(_THINK_LEVELS)}, got {value!r}"
            )
        return self._with_wire(think=value)

    def num_ctx(self, tokens: int) -> Self:
        """The context window the model is loaded with, in tokens (``options.num_ctx``;
        Ollama's default is small, 2048 to 4096 depending on the version)."""
        return self._with_wire(num_ctx=_positive_int("num_ctx", tokens))

    def keep_alive(self, duration: str | float) -> Self:
        """How long the server keeps the model loaded after a call: a duration (``"5m"``,
        ``"1h"``) or seconds; ``0`` unloads it at once, a negative value keeps it loaded."""
        return self._with_wire(keep_alive=_keep_alive(duration))

    def options(self, **raw: float | str | bool | list[str] | list[float]) -> Self:
        """Further raw model ``options`` (``repeat_penalty=1.1``, ``min_p=0.05``,
        ``num_gpu=1`` ...; https://github.com/ollama/ollama/blob/main/docs/modelfile.md).
        Options with a method of their own (temperature, num_ctx ...) are set there."""
        merged = dict(self._wire.options)
        for name, value in raw.items():
            merged[name] = _raw_option(name, value)
        return self._with_wire(options=tuple(merged.items()))

    def structured_output(self, mode: Literal["format", "json", "prompt"]) -> Self:
        """How schemas are requested: ``format`` (default: the JSON schema in ``format``,
        enforced by the server's grammar; Ollama 0.5 or newer), ``json`` (``format: "json"``
        with the schema in the instructions, for older servers) or ``prompt``."""
        if mode not in _MODES:
            raise ConfigurationError(
                f"structured_output mode must be one of {_MODES}, got {mode!r}"
            )
        return self._with_wire(structured_output=mode)

    def embedding_model(self, name: str) -> EmbeddingBuilder:
        """Switch to an embedding model by the name the server knows it by (``build()`` then
        returns a :class:`~typedllm.Embedder`); the connection settings made so far carry
        over."""
        from .embeddings import EmbeddingBuilder, embedding_spec

        return EmbeddingBuilder(self, embedding_spec("ollama", name))

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        from ._embedding_endpoint import EmbeddingEndpoint

        step = self._auth(("OLLAMA_API_KEY",), bearer, required=False)
        host = self._host("ollama", self._settings.base_url or _env_host())
        return EmbeddingEndpoint("ollama", "ollama-embeddings", "ollama-chat", model, host, step)

    def build(self: OllamaBuilder[CompatibleModel]) -> Client:
        """The client. The server is ``.base_url()``, else ``OLLAMA_HOST``, else
        ``http://127.0.0.1:11434``; the optional key is ``.api_key()`` or ``OLLAMA_API_KEY``."""
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        auth = self._auth(("OLLAMA_API_KEY",), bearer, required=False)
        base_url = s.base_url or _env_host()
        return self._client(
            provider="ollama",
            wire="ollama-chat",
            model=model,
            info=info,
            host=self._host("ollama", base_url),
            auth=auth,
            wire_options=self._wire,
        )


def _env_host() -> str:
    try:
        return ollama_base_url(os.environ.get("OLLAMA_HOST"))
    except ConfigurationError as error:
        raise ConfigurationError(f"the OLLAMA_HOST environment variable: {error}") from None


def ollama() -> OllamaBuilder[NoModel]:
    """Start configuring a client for Ollama's native API.

    >>> import typedllm as tl
    >>> builder = tl.ollama().model("qwen3:8b").think(True)
    """
    return OllamaBuilder()
