"""Type-state builder for Anthropic's Messages API.

``AnthropicBuilder[M, S]``: ``M`` is the model family (``NoModel``, ``ThinkingModel``,
``StandardModel``), ``S`` the sampling state (``Neutral``, ``TemperatureSet``, ``ThinkingOn``).

* ``.thinking(budget_tokens=N)`` exists only on ``ThinkingModel`` builders whose state is not
  ``TemperatureSet``; it moves to ``ThinkingOn``.
* ``.temperature()``/``.top_p()``/``.top_k()`` exist only once a model is chosen and thinking is
  not on; they move to ``TemperatureSet``. The API rejects the two together, so either order is a
  type error (and a ``ConfigurationError`` at run time).
* ``.model()`` is generated from ``_catalog/data/anthropic.json`` (one overload per family and
  a ``like=`` overload per family) and resets the sampling state; it also takes the Bedrock ids
  and Vertex AI names of catalog models (``anthropic.claude-sonnet-4-5-20250929-v1:0``,
  ``us.anthropic...``, ``claude-sonnet-4-5@20250929``), typed by their family too.
* ``.bedrock()`` and ``.vertex()`` choose where the model is served (Amazon Bedrock, Vertex AI)
  without leaving this builder: the model names, thinking and sampling gates are the same on
  every platform, so the platform is a host choice like ``tl.gemini().vertex()``, not a builder
  of its own (see ``_anthropic_cloud.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, Literal, overload

from typing_extensions import Never, TypeVar, deprecated

from .._catalog import (
    ANTHROPIC_MODELS,
    AnthropicModelName,
    AnthropicStandardModelName,
    AnthropicThinkingModelName,
)
from .._catalog._cloud_models import (
    AnthropicCloudStandardModelId,
    AnthropicCloudThinkingModelId,
    cloud_model,
)
from .._config import AnthropicOptions
from .._errors import ConfigurationError
from .._wire import Secret
from ..hosts import api_key_header
from ..hosts._auth import TokenSource
from ..hosts._sigv4 import AwsCredentials
from ._anthropic_cloud import (
    BEDROCK_VERSION,
    VERTEX_VERSION,
    CloudParts,
    CloudSettings,
    bedrock_parts,
    check_platform,
    vertex_parts,
)
from ._base import (
    ALWAYS_ADAPTIVE,
    ALWAYS_ADAPTIVE_MESSAGE,
    BaseBuilder,
    BuilderSettings,
    catalog_model,
    check_max_tokens,
    check_settings,
)
from ._states import (
    ModelChosen,
    Neutral,
    NoModel,
    StandardModel,
    TemperatureSet,
    ThinkingModel,
    ThinkingOn,
)

if TYPE_CHECKING:
    from .._client import Client

__all__ = ["ANTHROPIC_BASE_URL", "ANTHROPIC_VERSION", "AnthropicBuilder", "anthropic"]

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"
MIN_THINKING_BUDGET = 1024
_GEOGRAPHY = re.compile(r"[a-z]+(?:-[a-z]+)?")  # us, eu, apac, global, us-gov ...

# Defaults make a directly constructed builder start in the initial state.
M = TypeVar("M", covariant=True, default=NoModel)
S = TypeVar("S", covariant=True, default=Neutral)


class AnthropicBuilder(BaseBuilder, Generic[M, S]):
    """Builder for Claude models. Start with :func:`typedllm.anthropic`.

    >>> import typedllm as tl
    >>> b = tl.anthropic().model("claude-sonnet-4-5").thinking(budget_tokens=2048).max_tokens(4096)
    """

    __slots__ = ()

    # ``self`` pins the start state (see OpenAIBuilder.__init__).
    def __init__(
        self: AnthropicBuilder[NoModel, Neutral], settings: BuilderSettings | None = None
    ) -> None:
        super().__init__(settings)

    # BEGIN GENERATED: model overloads (scripts/generate_catalog.py)
    @overload
    def model(
        self, name: AnthropicThinkingModelName
    ) -> AnthropicBuilder[ThinkingModel, Neutral]: ...
    @overload
    def model(
        self, name: AnthropicStandardModelName
    ) -> AnthropicBuilder[StandardModel, Neutral]: ...
    @overload
    @deprecated("a listed anthropic model takes no like=: drop it (like= is for unlisted names)")
    def model(self, name: AnthropicModelName, *, like: AnthropicModelName) -> Never: ...
    @overload
    def model(
        self, name: str, *, like: AnthropicThinkingModelName
    ) -> AnthropicBuilder[ThinkingModel, Neutral]: ...
    @overload
    def model(
        self, name: str, *, like: AnthropicStandardModelName
    ) -> AnthropicBuilder[StandardModel, Neutral]: ...
    # END GENERATED: model overloads
    @overload
    def model(
        self, name: AnthropicCloudThinkingModelId
    ) -> AnthropicBuilder[ThinkingModel, Neutral]: ...
    @overload
    def model(
        self, name: AnthropicCloudStandardModelId
    ) -> AnthropicBuilder[StandardModel, Neutral]: ...
    def model(self, name: str, *, like: str | None = None) -> AnthropicBuilder[Any, Neutral]:
        """Choose the model: a catalog name, the Bedrock id or Vertex AI name of a catalog
        model, or any name with ``like=<catalog name>``."""
        listed = not isinstance(name, str) or name in ANTHROPIC_MODELS  # pyright: ignore[reportUnnecessaryIsInstance]
        cloud = cloud_model(name) if like is None and not listed else None
        if cloud is not None:
            info = cloud[2]  # the catalog snapshot's capabilities, under the cloud's id
            check_max_tokens(self._settings.max_tokens, name, info)
        else:
            info = catalog_model(
                ANTHROPIC_MODELS, "Anthropic", "claude-sonnet-4-5", name, like, self._settings
            )
        return AnthropicBuilder(
            replace(
                self._settings,
                model=name,
                model_info=info,
                temperature=None,
                top_p=None,
                top_k=None,
                thinking_budget=None,
            )
        )

    def _sampling(self, **changes: Any) -> Any:
        _name, info = self._require_model("temperature")
        if not info.temperature:
            raise ConfigurationError(
                f"{self._settings.model} does not accept sampling options (temperature/top_p/top_k)"
            )
        if self._settings.thinking_budget is not None:
            raise ConfigurationError(
                "sampling options (temperature/top_p/top_k) cannot be combined with extended "
                "thinking on Anthropic models"
            )
        return self._with(**changes)

    @overload
    def temperature(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[StandardModel, Neutral], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def temperature(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def temperature(self, value: float) -> Any:
        """Sampling temperature, 0 to 1 (not with extended thinking)."""
        return self._sampling(temperature=self._check_temperature(value, upper=1.0))

    @overload
    def top_p(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[StandardModel, Neutral], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def top_p(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: float
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def top_p(self, value: float) -> Any:
        """Nucleus sampling probability mass, 0 to 1 (not with extended thinking)."""
        return self._sampling(top_p=self._check_top_p(value))

    @overload
    def top_k(
        self: AnthropicBuilder[ThinkingModel, Neutral], value: int
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[ThinkingModel, TemperatureSet], value: int
    ) -> AnthropicBuilder[ThinkingModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[StandardModel, Neutral], value: int
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    @overload
    def top_k(
        self: AnthropicBuilder[StandardModel, TemperatureSet], value: int
    ) -> AnthropicBuilder[StandardModel, TemperatureSet]: ...
    def top_k(self, value: int) -> Any:
        """Sample only from the top K tokens (not with extended thinking)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"top_k must be a positive int, got {value!r}")
        return self._sampling(top_k=value)

    @overload
    def thinking(
        self: AnthropicBuilder[ThinkingModel, Neutral], *, budget_tokens: int
    ) -> AnthropicBuilder[ThinkingModel, ThinkingOn]: ...
    @overload
    def thinking(
        self: AnthropicBuilder[ThinkingModel, ThinkingOn], *, budget_tokens: int
    ) -> AnthropicBuilder[ThinkingModel, ThinkingOn]: ...
    def thinking(self, *, budget_tokens: int) -> Any:
        """Extended thinking with this token budget (at least 1024, below ``max_tokens``).

        Only on models with extended thinking, and not together with sampling options."""
        _name, info = self._require_model("thinking")
        if not info.thinking:
            raise ConfigurationError(f"{self._settings.model} does not support extended thinking")
        if info.thinking_mode == ALWAYS_ADAPTIVE:
            raise ConfigurationError(ALWAYS_ADAPTIVE_MESSAGE.format(model=self._settings.model))
        s = self._settings
        if s.temperature is not None or s.top_p is not None or s.top_k is not None:
            raise ConfigurationError(
                "extended thinking cannot be combined with temperature/top_p/top_k"
            )
        if isinstance(budget_tokens, bool) or not isinstance(budget_tokens, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("budget_tokens must be an int")
        if budget_tokens < MIN_THINKING_BUDGET:
            raise ConfigurationError(
                f"budget_tokens must be at least {MIN_THINKING_BUDGET}, got {budget_tokens}"
            )
        return self._with(thinking_budget=budget_tokens)

    def anthropic_version(self, version: str) -> AnthropicBuilder[M, S]:
        """The ``anthropic-version`` header (default ``2023-06-01``)."""
        return self._with(api_version=version)

    def prompt_cache(
        self, mode: Literal["auto", "off"] = "auto", *, ttl: Literal["5m", "1h"] | None = None
    ) -> AnthropicBuilder[M, S]:
        """Prompt caching: ``"auto"`` puts ``cache_control`` breakpoints at the end of the
        tools, of the system prompt and of the conversation (at most 4 with the user's own
        :class:`~typedllm.CachePoint` parts); ``ttl`` is ``"5m"`` (the API's default) or
        ``"1h"``. ``"off"`` keeps only the user's breakpoints.

        >>> import typedllm as tl
        >>> b = tl.anthropic().model("claude-haiku-4-5").prompt_cache("auto", ttl="1h")
        """
        if mode not in ("auto", "off"):
            raise ConfigurationError(f"prompt_cache takes 'auto' or 'off', got {mode!r}")
        if ttl not in (None, "5m", "1h"):
            raise ConfigurationError(f"prompt_cache ttl takes '5m' or '1h', got {ttl!r}")
        return self._with(prompt_cache=(mode, ttl))

    def beta(self, *names: str) -> AnthropicBuilder[M, S]:
        """Extra ``anthropic-beta`` feature names sent with every request."""
        return self._with(betas=(*self._settings.betas, *names))

    def _cloud(self) -> CloudSettings:
        cloud = self._settings.cloud
        return cloud if isinstance(cloud, CloudSettings) else CloudSettings()

    def bedrock(
        self,
        region: str | None = None,
        *,
        profile: str | None = None,
        inference_profile: str | None = None,
        use_botocore: bool = True,
    ) -> AnthropicBuilder[M, S]:
        """Call the model on Amazon Bedrock (``InvokeModel``), signed with AWS SigV4.

        Args:
            region: the AWS region; default ``AWS_REGION``, ``AWS_DEFAULT_REGION``, or the
                profile's ``region`` in ``~/.aws/config``.
            profile: the shared-file profile to read credentials and region from (default
                ``AWS_PROFILE``, else ``default``).
            inference_profile: a cross-region inference profile's geography (``"us"``,
                ``"eu"``, ``"apac"``, ``"global"`` ...) put before the model id; newer models
                are only served through one.
            use_botocore: fall back to botocore's credential chain (SSO, roles, instance
                metadata) when it is installed (``pip install 'typedllm[bedrock]'``).

        Credentials: ``.aws_credentials()``, ``.api_key()`` (a Bedrock API key), else
        ``AWS_BEARER_TOKEN_BEDROCK``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``
        (``AWS_SESSION_TOKEN``), the shared credentials and config files, botocore's chain.
        """
        for label, value in (("region", region), ("profile", profile)):
            if value is not None and (not isinstance(value, str) or not value.strip()):  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ConfigurationError(f"bedrock {label} must be a non-empty string")
        geo = inference_profile
        if geo is not None and not _GEOGRAPHY.fullmatch(str(geo)):
            raise ConfigurationError(
                f"inference_profile takes a geography such as 'us', 'eu' or 'global', got {geo!r}"
            )
        cloud = replace(
            self._cloud(),
            platform="bedrock",
            region=region,
            profile=profile,
            inference_profile=geo,
            use_botocore=use_botocore,
        )
        return self._with(cloud=cloud)

    def aws_credentials(
        self, access_key_id: str, secret_access_key: str, session_token: str | None = None
    ) -> AnthropicBuilder[M, S]:
        """Sign Bedrock requests with these AWS credentials (a session token for temporary
        ones). Like an explicit API key, they make the client refuse to be pickled."""
        if not all(isinstance(v, str) and v for v in (access_key_id, secret_access_key)):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("aws_credentials takes a non-empty key id and secret key")
        if session_token is not None and (not isinstance(session_token, str) or not session_token):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("session_token must be a non-empty string when given")
        creds = AwsCredentials(
            access_key_id,
            Secret(secret_access_key),
            Secret(session_token) if session_token else None,
        )
        return self._with(cloud=replace(self._cloud(), credentials=creds))

    def vertex(
        self,
        project: str | None = None,
        *,
        location: str | None = None,
        token_provider: TokenSource | None = None,
    ) -> AnthropicBuilder[M, S]:
        """Call the model on Vertex AI (``:rawPredict``/``:streamRawPredict``).

        Args:
            project: the Google Cloud project (default ``ANTHROPIC_VERTEX_PROJECT_ID`` or
                ``GOOGLE_CLOUD_PROJECT``).
            location: the region, or ``"global"`` (default ``CLOUD_ML_REGION``,
                ``GOOGLE_CLOUD_LOCATION``, else ``"global"``).
            token_provider: a callable returning an OAuth access token (``str`` or
                :class:`~typedllm.hosts.Token` with its expiry; sync or async), called again
                before the token expires. ``.api_key(token)`` sends a fixed token instead.
        """
        for label, value in (("project", project), ("location", location)):
            if value is not None and (not isinstance(value, str) or not value.strip()):  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ConfigurationError(f"vertex {label} must be a non-empty string")
        if token_provider is not None and not callable(token_provider):
            raise ConfigurationError("token_provider must be a callable returning a token")
        cloud = replace(
            self._cloud(),
            platform="vertex",
            project=project,
            location=location,
            token_provider=token_provider,
        )
        return self._with(cloud=cloud)

    def _cloud_parts(self, model: str, info: Any) -> CloudParts | None:
        s = self._settings
        cloud = self._cloud()
        check_platform(model, cloud.platform)
        if cloud.credentials is not None and cloud.platform != "bedrock":
            raise ConfigurationError(".aws_credentials() needs .bedrock(...): AWS signs Bedrock")
        if cloud.platform == "anthropic":
            return None
        make = bedrock_parts if cloud.platform == "bedrock" else vertex_parts
        return make(
            model,
            info,
            cloud,
            auth_step=s.auth_step,
            api_key=s.api_key,
            base_url=s.base_url,
            headers=s.headers,
        )

    # Any sampling state: thinking and sampling options never meet statically (and build()
    # re-checks), and ``object`` is what mypy joins a mixed list's sampling states to.
    def build(self: AnthropicBuilder[ModelChosen, object]) -> Client:
        """The client. The key comes from ``.api_key()`` or ``ANTHROPIC_API_KEY``, the base URL
        from ``.base_url()``, ``ANTHROPIC_BASE_URL`` or ``https://api.anthropic.com``.

        ``max_tokens`` (always sent) defaults to the model's output limit, capped at 8192, and
        is raised above the thinking budget when thinking is on.
        """
        model, info = self._require_model("build")
        s = self._settings
        check_settings(s, info)
        if s.thinking_budget is not None and (
            s.temperature is not None or s.top_p is not None or s.top_k is not None
        ):
            raise ConfigurationError(
                "sampling options (temperature/top_p/top_k) cannot be combined with extended "
                "thinking on Anthropic models"
            )
        cloud = self._cloud_parts(model, info)
        max_tokens = s.max_tokens or min(info.max_output_tokens or 8192, 8192)
        if s.thinking_budget is not None and max_tokens <= s.thinking_budget:
            if s.max_tokens is not None:
                raise ConfigurationError(
                    f"max_tokens ({s.max_tokens}) must be greater than the thinking budget "
                    f"({s.thinking_budget})"
                )
            max_tokens = s.thinking_budget + 4096
        if cloud is not None:
            platform = self._cloud().platform
            return self._client(
                provider="anthropic",  # thinking blocks are Anthropic's on every platform
                wire=f"anthropic-{platform}",  # anthropic-bedrock, anthropic-vertex
                model=cloud.model,
                info=cloud.info,
                host=cloud.host,
                auth=cloud.auth,
                wire_options=AnthropicOptions(
                    version=s.api_version
                    or (BEDROCK_VERSION if platform == "bedrock" else VERTEX_VERSION),
                    betas=s.betas,
                    thinking_budget=s.thinking_budget,
                    platform=platform,
                    **_cache_options(s),
                ),
                defaults=self._defaults(max_tokens=max_tokens),
            )
        auth = self._auth(("ANTHROPIC_API_KEY",), lambda key: api_key_header("x-api-key", key))
        base_url = (
            s.base_url
            or os.environ.get("ANTHROPIC_BASE_URL", "").strip().rstrip("/")
            or ANTHROPIC_BASE_URL
        )
        return self._client(
            provider="anthropic",
            wire="anthropic-messages",
            model=model,
            info=info,
            host=self._host("anthropic", base_url),
            auth=auth,
            wire_options=AnthropicOptions(
                version=s.api_version or ANTHROPIC_VERSION,
                betas=s.betas,
                thinking_budget=s.thinking_budget,
                **_cache_options(s),
            ),
            defaults=self._defaults(max_tokens=max_tokens),
        )


def _cache_options(settings: BuilderSettings) -> dict[str, Any]:
    """The ``AnthropicOptions`` fields ``.prompt_cache()`` set."""
    if settings.prompt_cache is None:
        return {}
    mode, ttl = settings.prompt_cache
    return {"prompt_cache": mode, "cache_ttl": ttl}


def anthropic() -> AnthropicBuilder[NoModel, Neutral]:
    """Start configuring an Anthropic (Claude) client.

    >>> import typedllm as tl
    >>> builder = tl.anthropic().model("claude-haiku-4-5").temperature(0)
    """
    return AnthropicBuilder(BuilderSettings())
