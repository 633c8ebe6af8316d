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

from .._errors import ConfigurationError

__all__ = ["PROVIDERS", "ModelSpec", "build_client", "import_schema", "parse_model"]

PROVIDERS = ("openai", "anthropic", "gemini", "cohere", "openai-compatible", "fake")
"""The providers a model spec may name."""

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
    if not sep or not model:
        raise ConfigurationError(
            f"--model takes provider:model (e.g. openai:gpt-4o-mini, fake:demo), got {text!r}"
        )
    if provider not in PROVIDERS:
        raise ConfigurationError(
            f"unknown provider {provider!r} in --model {text!r}: use one of {', '.join(PROVIDERS)}"
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


def build_client(
    spec: ModelSpec,
    *,
    base_url: str | None = None,
    api_key_env: str | None = None,
    like: str | None = None,
    system: str | None = None,
) -> Any:
    """The client for a model spec (a :class:`typedllm.Client`).

    ``fake:<name>`` answers offline from :class:`typedllm.testing.FakeProvider` in auto mode
    (schema-valid data): a catalog name (``fake:gpt-4o-mini``) goes through that provider's
    builder and wire, so prices and budgets apply; any other name through the
    OpenAI-compatible one."""
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
    else:
        start = _start(provider)
        builder = start.model(spec.model, like=like) if like else start.model(spec.model)
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
    ``python -m``, so a ``models.py`` beside the data is found."""
    module_name, sep, attribute = path.partition(":")
    if not sep:
        module_name, _, attribute = path.rpartition(".")
    if not module_name or not attribute:
        raise ConfigurationError(
            f"--schema takes module:Name (e.g. mypkg.models:Invoice), got {path!r}"
        )
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        value: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigurationError(f"--schema {path}: cannot import {module_name!r}: {exc}") from None
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
