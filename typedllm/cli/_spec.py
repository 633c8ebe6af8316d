"""What the command line names, made real: a model spec (``provider:model``) becomes a client,
a schema path (``package.module:Name``) becomes the type.

Every mistake here is a :class:`~typedllm.ConfigurationError` with a sentence saying what to
change (the CLI turns it into exit code 2)."""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass
from typing import Any

from .._builders._native import NATIVE_PROVIDERS
from .._errors import ConfigurationError
from ..hosts._presets import PRESETS

__all__ = ["PROVIDERS", "ModelSpec", "build_client", "import_schema", "parse_model"]

_NATIVE = tuple(p.cli for p in NATIVE_PROVIDERS)
_PRESETS = tuple(p.entry for p in PRESETS.values())

PROVIDERS = (*_NATIVE, "openai-compatible", *_PRESETS, "fake")
"""The providers a model spec may name: the native wires (``openai``, ``openai-responses``,
``azure``, ``anthropic``, ``bedrock``, ``anthropic-vertex``, ``gemini``, ``gemini-vertex``,
``ollama``, ``cohere``), ``openai-compatible`` (with ``--base-url``), every OpenAI-compatible
host preset by its entry name (``groq``, ``vllm``, ``llama_cpp_python`` ...) and ``fake``."""

# Providers whose models come from the catalog: an unlisted name takes ``--like``.
_CATALOG_BACKED = frozenset(_NATIVE) - {"ollama"}

_FAKE_BASE_URL = "http://fake.typedllm.invalid/v1"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A parsed ``provider:model``."""

    provider: str
    model: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"


def parse_model(text: str) -> ModelSpec:
    """``"openai:gpt-4o-mini"`` -> ``ModelSpec("openai", "gpt-4o-mini")`` (the model name may
    hold colons of its own: ``openai:ft:gpt-4o-mini:acme::x``)."""
    provider, sep, model = text.partition(":")
    if provider not in PROVIDERS and provider.replace("-", "_") in _PRESETS:
        provider = provider.replace("-", "_")  # llama-cpp-python: the entry llama_cpp_python
    if not sep or not model:
        raise ConfigurationError(
            f"--model takes provider:model (e.g. openai:gpt-4o-mini, fake:demo), got {text!r}"
        )
    if provider not in PROVIDERS:
        raise ConfigurationError(
            f"unknown provider {provider!r} in --model {text!r}: use one of {', '.join(PROVIDERS)} "
            "(typedllm models --providers lists them)"
        )
    return ModelSpec(provider, model)


def _env_key(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var, "")
    if not value:
        raise ConfigurationError(f"--api-key-env {var}: the environment variable is not set")
    return value


def _catalog_provider(name: str) -> str | None:
    from .._catalog import lookup

    for provider in ("openai", "anthropic", "gemini", "cohere"):
        if lookup(provider, name) is not None:
            return provider
    return None


def _start(provider: str) -> Any:
    """A new builder of a catalog provider (untyped: the model name is only known at run
    time, so the type-state gates are the run-time checks here)."""
    import typedllm as tl

    starts: dict[str, Any] = {
        "openai": tl.openai,
        "anthropic": tl.anthropic,
        "gemini": tl.gemini,
        "cohere": tl.cohere,
    }
    return starts[provider]()


def _native_builder(spec: ModelSpec, like: str | None, deployment: str | None) -> Any:
    """The builder of a native provider with the model chosen."""
    import typedllm as tl

    provider, name = spec.provider, spec.model
    if like is not None and provider not in _CATALOG_BACKED:
        raise ConfigurationError(
            f"--like goes with catalog providers; {provider} takes any model name as it is"
        )
    if deployment is not None and provider != "azure":
        raise ConfigurationError("--deployment goes with azure:<model> only")

    def choose(builder: Any) -> Any:
        return builder.model(name, like=like) if like else builder.model(name)

    if provider == "openai-responses":
        return choose(tl.openai()).api("responses")
    if provider == "azure":
        builder = choose(tl.azure_openai())
        return builder.deployment(deployment) if deployment is not None else builder
    if provider == "bedrock":
        # Region and credentials: AWS_REGION, the AWS credential chain or a Bedrock API key.
        return choose(tl.anthropic().bedrock())
    if provider == "anthropic-vertex":
        # Project and location from the environment; ADC unless --api-key-env names a token.
        return choose(tl.anthropic().vertex())
    if provider == "gemini-vertex":
        return choose(tl.gemini().vertex())
    if provider == "ollama":
        return tl.ollama().model(name)
    return choose(_start(provider))


def _preset_builder(spec: ModelSpec, base_url: str | None, api_key_env: str | None) -> Any:
    """The builder of an OpenAI-compatible host preset with the model chosen (local servers
    take ``--api-key-env`` as their optional key variable)."""
    import typedllm as tl

    preset = PRESETS[spec.provider]
    entry: Any = getattr(tl, preset.entry)
    if preset.local:
        return entry(base_url, api_key_env=api_key_env).model(spec.model)
    builder = entry().model(spec.model)
    return builder.base_url(base_url) if base_url is not None else builder


def build_client(
    spec: ModelSpec,
    *,
    base_url: str | None = None,
    api_key_env: str | None = None,
    like: str | None = None,
    system: str | None = None,
    deployment: str | None = None,
) -> Any:
    """The client for a model spec (a :class:`typedllm.Client`).

    ``fake:<name>`` answers offline from :class:`typedllm.testing.FakeProvider` in auto mode
    (schema-valid data): a catalog name (``fake:gpt-4o-mini``) goes through that provider's
    builder and wire, so prices and budgets apply; any other name through the
    OpenAI-compatible one. ``azure:<model>`` runs on the deployment named like the model
    unless ``deployment`` is given; the endpoint comes from ``base_url`` or
    ``AZURE_OPENAI_ENDPOINT``. A host preset (``groq:...``, ``vllm:...``) reads the model's
    abilities from its family profile, so it takes no ``like``."""
    import typedllm as tl

    builder: Any
    provider = spec.provider
    key = _env_key(api_key_env)
    if provider == "fake":
        from ..testing import FakeProvider

        wire = _catalog_provider(spec.model) if like is None else None
        if wire is None:
            builder = tl.openai_compatible(base_url or _FAKE_BASE_URL).model(spec.model)
        else:
            builder = _start(wire).model(spec.model)
        builder = builder.api_key(key or "fake-key").transport(FakeProvider())
    elif provider == "openai-compatible":
        if base_url is None:
            raise ConfigurationError(
                "--model openai-compatible:... needs --base-url (the server's /v1 URL)"
            )
        builder = tl.openai_compatible(base_url, api_key_env=api_key_env).model(spec.model)
    elif provider in PRESETS:
        if like is not None:
            raise ConfigurationError(
                f"--like goes with catalog providers; on {provider} the model's family profile "
                "(from its name) says what it accepts"
            )
        if deployment is not None:
            raise ConfigurationError("--deployment goes with azure:<model> only")
        builder = _preset_builder(spec, base_url, api_key_env)
        if key is not None and not PRESETS[provider].local:
            builder = builder.api_key(key)
    else:
        if provider == "gemini-vertex" and base_url is not None:
            raise ConfigurationError(
                "gemini-vertex takes no --base-url: the Vertex AI URL comes from "
                "GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION"
            )
        builder = _native_builder(spec, like, deployment)
        if key is not None:
            builder = builder.api_key(key)
        if base_url is not None:
            builder = builder.base_url(base_url)
    if system is not None:
        builder = builder.system(system)
    return builder.build()


def import_schema(path: str) -> Any:
    """The type at ``package.module:Name`` (``Name`` may be dotted: ``module:Outer.Inner``;
    ``package.module.Name`` works too). The current directory is importable, as with
    ``python -m``, so a ``models.py`` beside the data is found (for this import only:
    ``sys.path`` is restored after it)."""
    module_name, sep, attribute = path.partition(":")
    if not sep:
        module_name, _, attribute = path.rpartition(".")
    if not module_name or not attribute:
        raise ConfigurationError(
            f"--schema takes module:Name (e.g. mypkg.models:Invoice), got {path!r}"
        )
    added: str | None = None
    if "" not in sys.path and os.getcwd() not in sys.path:
        added = os.getcwd()
        sys.path.insert(0, added)
    try:
        value: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"--schema {path}: cannot import {module_name!r}: {exc}") from None
    finally:
        # Only for this import: the CLI also runs in-process (typedllm.cli.main), where the
        # caller's sys.path must stay as it was (the module stays in sys.modules).
        if added is not None and added in sys.path:
            sys.path.remove(added)
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise ConfigurationError(
                f"--schema {path}: {module_name!r} has no attribute {attribute!r}"
            ) from None
    from pydantic import TypeAdapter
    from pydantic.errors import PydanticUserError

    try:
        TypeAdapter(value)
    except (PydanticUserError, TypeError) as exc:
        raise ConfigurationError(
            f"--schema {path} is not a type pydantic can validate: {exc}"
        ) from None
    return value
