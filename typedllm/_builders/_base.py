"""What every builder shares: immutable settings and the provider-independent options.

Every builder ends in :meth:`BaseBuilder._client`, the one build path: the settings become a
:class:`~typedllm._config.ClientConfig` of a host, an auth step, the default call options, the
wire's own options record and the retry policy.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

import httpx
from typing_extensions import Self

from .._catalog import ModelInfo
from .._config import ClientConfig
from .._errors import ConfigurationError
from .._events import Hook
from .._native_tools import NativeTool, check_native_tools
from .._options import CallOptions
from .._retry import RetryPolicy
from .._wire import Secret, is_sensitive_header
from ..hosts import Auth, Host
from ..hosts._host import mask_url
from ..schema import DecimalMode

if TYPE_CHECKING:
    from .._client import Client
    from ._embedding_endpoint import EmbeddingEndpoint

__all__ = [
    "ALWAYS_ADAPTIVE",
    "ALWAYS_ADAPTIVE_MESSAGE",
    "BaseBuilder",
    "BuilderSettings",
    "catalog_model",
    "check_max_tokens",
    "check_settings",
]


@dataclass(frozen=True, slots=True)
class BuilderSettings:
    """The values collected so far; every builder method returns a copy with one change."""

    model: str | None = None
    model_info: ModelInfo | None = None
    api_key: Secret | None = None
    base_url: str | None = None
    timeout: float = 60.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_reasks: int = 1
    reask_token_budget: int | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None
    reasoning_effort: str | None = None
    top_k: int | None = None
    stop: tuple[str, ...] | None = None
    thinking_budget: int | None = None
    api_version: str | None = None
    betas: tuple[str, ...] = ()
    auth: str = "default"
    system_prompt: str | None = None
    decimal_mode: DecimalMode = "number"
    structured_output: str | None = None
    headers: tuple[tuple[str, str | Secret], ...] = ()
    auth_step: Auth | None = field(default=None, compare=False)
    hooks: tuple[Hook, ...] = field(default=(), compare=False)
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = field(
        default=None, compare=False
    )
    http_client: httpx.Client | None = field(default=None, compare=False)
    async_http_client: httpx.AsyncClient | None = field(default=None, compare=False)
    async_driver: Literal["httpx", "aiohttp"] = "httpx"
    api: str | None = None
    store: bool | None = None
    native_tools: tuple[NativeTool, ...] | None = None
    reasoning_summary: str | None = None
    prompt_cache: tuple[str, str | None] | None = None  # Anthropic: (mode, ttl)
    cloud: Any = None  # a builder's own record of where a cloud hosts the model (Bedrock...)


def catalog_model(
    catalog: Mapping[str, ModelInfo],
    provider: str,
    example: str,
    name: str,
    like: str | None,
    settings: BuilderSettings | None = None,
) -> ModelInfo:
    """The capabilities for ``.model(name, like=...)``: the catalog entry of ``name``, or of
    ``like`` under the new name (the escape hatch for fine-tunes and newer models).

    A listed ``name`` with ``like=`` is an error: the borrowed capabilities would silently
    replace the model's own (``.model("o3", like="gpt-4o")`` would send o3 a temperature). A
    ``max_tokens`` set before the model must fit the model's limit (``settings``)."""
    if not isinstance(name, str) or not name:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError("model name must be a non-empty string")
    if like is None:
        info = catalog.get(name)
        if info is None:
            raise ConfigurationError(
                f"unknown {provider} model {name!r}: use a listed name (e.g. {example!r}), or "
                f".model({name!r}, like='<listed model>') for fine-tuned or newer models"
            )
    elif name in catalog:
        raise ConfigurationError(
            f"{name!r} is a listed {provider} model: call .model({name!r}) without like= "
            f"(like= borrows a listed model's capabilities for unlisted names only)"
        )
    else:
        base = catalog.get(like)
        if base is None:
            raise ConfigurationError(f"like={like!r} is not a listed {provider} model")
        info = replace(base, name=name)
    if settings is not None:
        check_max_tokens(settings.max_tokens, name, info)
    return info


def check_max_tokens(tokens: int | None, model: str | None, info: ModelInfo | None) -> None:
    """``max_tokens`` must fit the model's output limit (whichever was set first)."""
    limit = info.max_output_tokens if info is not None else None
    if tokens is not None and limit is not None and tokens > limit:
        raise ConfigurationError(
            f"max_tokens={tokens} exceeds {model}'s limit of {limit} output tokens"
        )


ALWAYS_ADAPTIVE = "adaptive_always_on"
"""The catalog's ``thinking_mode`` for models whose thinking cannot be turned off or budgeted."""
ALWAYS_ADAPTIVE_MESSAGE = (
    "{model} always thinks adaptively and rejects a thinking budget "
    "(thinking.type 'enabled'); drop .thinking() and let the model decide"
)


def check_settings(settings: BuilderSettings, info: ModelInfo) -> None:
    """Re-check at ``build()`` what the methods checked when they were called, whatever state
    the builder's type claims (explicit type arguments, ``cast``, untyped callers)."""
    model = settings.model
    if not info.temperature and (settings.temperature is not None or settings.top_p is not None):
        raise ConfigurationError(f"{model} does not accept a temperature or top_p")
    effort = settings.reasoning_effort
    if effort is not None and effort not in info.reasoning_efforts:
        raise ConfigurationError(
            f"{model} does not accept reasoning_effort={effort!r}; "
            f"it accepts {list(info.reasoning_efforts)}"
        )
    if settings.thinking_budget is not None and not info.thinking:
        raise ConfigurationError(f"{model} does not support extended thinking")
    if settings.thinking_budget is not None and info.thinking_mode == ALWAYS_ADAPTIVE:
        raise ConfigurationError(ALWAYS_ADAPTIVE_MESSAGE.format(model=model))
    check_max_tokens(settings.max_tokens, model, info)


def _non_negative_int(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"{name} must be a non-negative int, got {value!r}")
    return value


class BaseBuilder:
    """Options every provider accepts. Builders are immutable values: each call returns a copy,
    so one partially configured builder can branch into several clients."""

    __slots__ = ("_settings",)

    def __init__(self, settings: BuilderSettings | None = None) -> None:
        self._settings = settings or BuilderSettings()

    def _with(self, **changes: Any) -> Self:
        return type(self)(replace(self._settings, **changes))

    def __repr__(self) -> str:
        s = self._settings
        base_url = mask_url(s.base_url) if s.base_url is not None else None
        return f"{type(self).__name__}(model={s.model!r}, base_url={base_url!r})"

    def api_key(self, key: str, *, picklable: bool = False) -> Self:
        """Use this API key instead of the provider's environment variable.

        A client with an explicit key refuses to be pickled (the key would be written in
        clear); ``picklable=True`` allows it. A key read from the environment never enters a
        pickle: the receiving process reads its own environment."""
        if not isinstance(key, str) or not key:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("api_key must be a non-empty string")
        return self._with(api_key=Secret(key, shareable=picklable))

    def base_url(self, url: str) -> Self:
        """Send requests to this base URL (e.g. a proxy or a regional endpoint)."""
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"base_url must be an http(s) URL, got {url!r}")
        return self._with(base_url=url.rstrip("/"))

    def timeout(self, seconds: float) -> Self:
        """Per-request timeout in seconds (default 60)."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                f"timeout must be a positive number of seconds, got {seconds!r}"
            )
        return self._with(timeout=float(seconds))

    def max_retries(self, retries: int) -> Self:
        """Transport retries on 408/409/429/5xx and connection errors (default 2)."""
        attempts = _non_negative_int("max_retries", retries) + 1
        return self._with(retry=replace(self._settings.retry, max_attempts=attempts))

    def retry_policy(self, policy: RetryPolicy) -> Self:
        """The whole transport retry policy (statuses, attempts, backoff, ``Retry-After`` cap,
        deadline). A policy without a deadline keeps the one ``.deadline()`` set, whatever the
        order of the two calls."""
        if not isinstance(policy, RetryPolicy):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"retry_policy takes a tl.RetryPolicy, got {policy!r}")
        if policy.deadline is None and self._settings.retry.deadline is not None:
            policy = replace(policy, deadline=self._settings.retry.deadline)
        return self._with(retry=policy)

    def deadline(self, seconds: float) -> Self:
        """Bound each whole call, retries included, to ``seconds``."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                f"deadline must be a positive number of seconds, got {seconds!r}"
            )
        return self._with(retry=replace(self._settings.retry, deadline=float(seconds)))

    def on_event(self, hook: Hook) -> Self:
        """Call ``hook`` with every event of every call (requests, responses, retries, re-asks,
        first bytes, results and failures; see :mod:`typedllm.events`)."""
        if not callable(hook):
            raise ConfigurationError("on_event takes a callable")
        return self._with(hooks=(*self._settings.hooks, hook))

    def stop(self, *sequences: str) -> Self:
        """Stop sequences: the model stops before producing any of them."""
        if not sequences or not all(isinstance(s, str) and s for s in sequences):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("stop takes one or more non-empty strings")
        return self._with(stop=tuple(sequences))

    def native_tools(self, *tools: NativeTool) -> Self:
        """Provider-native tools for every call (``tl.WebSearch()``, ``tl.CodeExecution()``
        ...; see ``docs/native-tools.md``): the provider runs them, and
        ``Completion.native_results`` says what they did. A call's
        ``CallOptions(native_tools=...)`` replaces them; one the wire or the model does not
        have is a :class:`~typedllm.ConfigurationError` when a call is made."""
        return self._with(native_tools=check_native_tools(tools))

    def max_reasks(self, reasks: int) -> Self:
        """How many times an answer that fails validation is sent back with the errors
        (default 1)."""
        return self._with(max_reasks=_non_negative_int("max_reasks", reasks))

    def reask_token_budget(self, tokens: int) -> Self:
        """Stop re-asking once a call has used this many tokens in total (input + output over
        every attempt), even if ``max_reasks`` would allow more."""
        if _non_negative_int("reask_token_budget", tokens) == 0:
            raise ConfigurationError("reask_token_budget must be at least 1")
        return self._with(reask_token_budget=tokens)

    def max_tokens(self, tokens: int) -> Self:
        """Upper bound on output tokens per call."""
        if _non_negative_int("max_tokens", tokens) == 0:
            raise ConfigurationError("max_tokens must be at least 1")
        # Checked here if the model is known, else when it is chosen (and again at build()).
        check_max_tokens(tokens, self._settings.model, self._settings.model_info)
        return self._with(max_tokens=tokens)

    def seed(self, seed: int) -> Self:
        """Ask the provider for deterministic sampling where it supports it."""
        if isinstance(seed, bool) or not isinstance(seed, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"seed must be an int, got {seed!r}")
        return self._with(seed=seed)

    def system(self, prompt: str) -> Self:
        """A default system prompt, sent before the messages of every call.

        A call that brings its own system message (``tl.system(...)`` in the prompt) sends
        both: the builder's first, then the call's (OpenAI gets two system messages,
        Anthropic two ``system`` blocks, Gemini two ``systemInstruction`` parts). Neither
        replaces the other; build a client without ``.system()`` to control it per call."""
        if not isinstance(prompt, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("system prompt must be a string")
        return self._with(system_prompt=prompt)

    def decimals(self, mode: DecimalMode) -> Self:
        """How schemas ask for ``Decimal`` fields: ``"number"`` (the default, pydantic's schema)
        or ``"string"``, a string of digits validated back into ``Decimal`` with every digit
        (money keeps its cents; a JSON number past ~17 digits does not)."""
        if mode not in get_args(DecimalMode):
            raise ConfigurationError(f"decimals takes 'number' or 'string', got {mode!r}")
        return self._with(decimal_mode=mode)

    def header(self, name: str, value: str) -> Self:
        """An extra HTTP header sent with every request (a credential header's value is kept
        as a secret: never in a repr, scrubbed from errors)."""
        if not isinstance(name, str) or not name or not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("header takes a name and a value, both strings")
        stored: str | Secret = Secret(value) if is_sensitive_header(name) else value
        return self._with(headers=(*self._settings.headers, (name, stored)))

    def transport(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> Self:
        """Use this httpx transport (``httpx.BaseTransport`` and/or ``AsyncBaseTransport``) for
        the lazily created HTTP clients, e.g. ``typedllm.testing.FakeProvider()``."""
        # Duck-typed at run time, as httpx itself is: any object with a handle method works.
        if not callable(getattr(transport, "handle_request", None)) and not callable(
            getattr(transport, "handle_async_request", None)
        ):
            raise ConfigurationError(
                "transport takes an httpx.BaseTransport or httpx.AsyncBaseTransport "
                f"(e.g. typedllm.testing.FakeProvider()), got {type(transport).__name__}"
            )
        return self._with(transport=transport)

    def http_client(self, client: httpx.Client) -> Self:
        """Use this ``httpx.Client`` for synchronous calls (proxies, mTLS, event hooks)."""
        if not isinstance(client, httpx.Client):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                f"http_client takes an httpx.Client, got {type(client).__name__}"
                + (" (use .async_http_client())" if isinstance(client, httpx.AsyncClient) else "")
            )
        return self._with(http_client=client)

    def async_http_client(self, client: httpx.AsyncClient) -> Self:
        """Use this ``httpx.AsyncClient`` for asynchronous calls."""
        if not isinstance(client, httpx.AsyncClient):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(
                f"async_http_client takes an httpx.AsyncClient, got {type(client).__name__}"
                + (" (use .http_client())" if isinstance(client, httpx.Client) else "")
            )
        return self._with(async_http_client=client)

    def async_driver(self, name: Literal["httpx", "aiohttp"]) -> Self:
        """The HTTP library of asynchronous calls: ``"httpx"`` (the default) or ``"aiohttp"``
        (``pip install 'typedllm[aiohttp]'``; several times the calls per second at high
        concurrency, see ``docs/throughput.md``). aiohttp cannot use the httpx objects of
        ``.transport()`` and ``.async_http_client()``: ``build()`` refuses the combination."""
        from .._aiohttp import check_async_driver

        return self._with(async_driver=check_async_driver(name))

    # -- helpers for subclasses -------------------------------------------------------------

    def _check_temperature(self, value: float, *, upper: float = 2.0) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"temperature must be a number, got {value!r}")
        if not 0.0 <= value <= upper:
            raise ConfigurationError(f"temperature must be between 0 and {upper}, got {value!r}")
        return float(value)

    def _check_top_p(self, value: float) -> float:
        bad_type = isinstance(value, bool) or not isinstance(value, (int, float))  # pyright: ignore[reportUnnecessaryIsInstance]
        if bad_type or not 0.0 <= value <= 1.0:
            raise ConfigurationError(f"top_p must be between 0 and 1, got {value!r}")
        return float(value)

    def auth(self, step: Auth) -> Self:
        """Authenticate requests with this auth step instead of an API key, e.g. a
        :class:`typedllm.hosts.TokenAuth` that fetches and refreshes OAuth or Entra ID tokens
        (no key is needed then)."""
        if not isinstance(step, Auth):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"auth takes a typedllm.hosts.Auth step, got {step!r}")
        return self._with(auth_step=step)

    def _auth(
        self,
        env_vars: Sequence[str],
        make: Callable[[Secret], Auth],
        *,
        required: bool = True,
    ) -> Auth | None:
        """The auth step: the one given with ``.auth()``, else ``make`` of the API key (from
        ``.api_key()`` or the first set environment variable)."""
        if self._settings.auth_step is not None:
            return self._settings.auth_step
        key = self._resolve_key(env_vars, required=required)
        return make(key) if key is not None else None

    def _resolve_key(self, env_vars: Sequence[str], *, required: bool) -> Secret | None:
        if self._settings.api_key is not None:
            return self._settings.api_key
        for var in env_vars:
            value = os.environ.get(var)
            if value:
                return Secret(value, env=var)
        if required:
            names = " or ".join(env_vars)
            raise ConfigurationError(
                f"no API key: set the {names} environment variable or call .api_key(...)"
            )
        return None

    def _defaults(self, **overrides: Any) -> CallOptions:
        """The builder's values as the client's default call options."""
        s = self._settings
        values: dict[str, Any] = {
            "temperature": s.temperature,
            "top_p": s.top_p,
            "top_k": s.top_k,
            "max_tokens": s.max_tokens,
            "seed": s.seed,
            "stop": s.stop,
            "native_tools": s.native_tools,
        }
        values.update(overrides)
        return CallOptions(**values)

    def _host(self, name: str, base_url: str, **extra: Any) -> Host:
        """The host at ``base_url`` with the user's headers."""
        return Host(name, base_url, headers=self._settings.headers, **extra)

    def _client(
        self,
        *,
        provider: str,
        wire: str,
        model: str,
        info: ModelInfo,
        host: Host,
        auth: Auth | None,
        wire_options: object,
        defaults: CallOptions | None = None,
    ) -> Client:
        """The one build path of every builder."""
        from .._client import Client

        s = self._settings
        if s.async_driver != "httpx":
            from .._aiohttp import check_async_driver

            # Checked here too: .transport() may come after .async_driver().
            check_async_driver(s.async_driver, s)
        return Client(
            ClientConfig(
                provider=provider,
                wire=wire,
                model=model,
                model_info=info,
                host=host,
                auth=auth,
                defaults=defaults if defaults is not None else self._defaults(),
                wire_options=wire_options,
                retry=s.retry,
                max_reasks=s.max_reasks,
                reask_token_budget=s.reask_token_budget,
                timeout=s.timeout,
                system_prompt=s.system_prompt,
                decimal_mode=s.decimal_mode,
                hooks=s.hooks,
                transport=s.transport,
                http_client=s.http_client,
                async_http_client=s.async_http_client,
                async_driver=s.async_driver,
            )
        )

    def _embedding_endpoint(self, model: str) -> EmbeddingEndpoint:
        """Where this provider serves embeddings (each provider's builder says so)."""
        raise ConfigurationError(f"{type(self).__name__} has no embeddings endpoint")

    def _require_model(self, method: str) -> tuple[str, ModelInfo]:
        s = self._settings
        if s.model is None or s.model_info is None:
            raise ConfigurationError(f"choose a model with .model(...) before .{method}()")
        return s.model, s.model_info
