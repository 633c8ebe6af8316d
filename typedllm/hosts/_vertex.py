"""Vertex AI as a host (provider-neutral: Gemini, and Anthropic models, are served from it).

* the project and location come from the arguments, else ``GOOGLE_CLOUD_PROJECT`` and
  ``GOOGLE_CLOUD_LOCATION`` (the variables Google's own SDKs read), the location defaulting to
  ``us-central1``;
* regional locations are served from ``{location}-aiplatform.googleapis.com``, the ``global``
  location from ``aiplatform.googleapis.com`` (no region prefix);
* requests carry an OAuth access token: from a token provider, or from Application Default
  Credentials through ``google-auth`` (:func:`typedllm.hosts.google_adc`).

Endpoints: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference
Locations (``global``): https://cloud.google.com/vertex-ai/generative-ai/docs/learn/locations
"""

from __future__ import annotations

import os
import re

from .._errors import ConfigurationError
from ._auth import Auth, TokenAuth
from ._google import google_adc, google_auth_installed

__all__ = [
    "DEFAULT_VERTEX_LOCATION",
    "vertex_adc_auth",
    "vertex_base_url",
    "vertex_location",
]

DEFAULT_VERTEX_LOCATION = "us-central1"

# Project ids are letters, digits and hyphens, or project numbers (domain-scoped ids add
# ``example.com:``); locations are ``us-central1``, ``europe-west4``, ``global``... Anything
# else would change the URL's path, so it is refused.
_PROJECT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.:_-]*[A-Za-z0-9])?")
_LOCATION = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


def vertex_location(project: str | None, location: str | None) -> tuple[str, str]:
    """The project and location: the arguments, else ``GOOGLE_CLOUD_PROJECT`` /
    ``GOOGLE_CLOUD_LOCATION``, the location defaulting to ``us-central1``; checked."""
    if project is None:
        project = os.environ.get("GOOGLE_CLOUD_PROJECT", "").strip() or None
    if project is None:
        raise ConfigurationError(
            "Vertex AI needs a project: pass vertex(project=...) or set GOOGLE_CLOUD_PROJECT"
        )
    if location is None:
        location = os.environ.get("GOOGLE_CLOUD_LOCATION", "").strip() or DEFAULT_VERTEX_LOCATION
    if not isinstance(project, str) or not _PROJECT.fullmatch(project):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"not a Google Cloud project id: {project!r}")
    if not isinstance(location, str) or not _LOCATION.fullmatch(location):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(
            f"not a Vertex AI location: {location!r} (e.g. 'us-central1', 'europe-west4', 'global')"
        )
    return project, location


def vertex_base_url(project: str, location: str, publisher: str) -> str:
    """``https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/
    {location}/publishers/{publisher}`` (no region prefix for ``global``)."""
    host = (
        "aiplatform.googleapis.com"
        if location == "global"
        else f"{location}-aiplatform.googleapis.com"
    )
    return f"https://{host}/v1/projects/{project}/locations/{location}/publishers/{publisher}"


def vertex_adc_auth(
    what: str = "Vertex AI", *, token_provider_hint: str = ".token_provider(<callable>)"
) -> Auth:
    """The default auth of a Vertex AI client that was given no credentials: a
    :class:`TokenAuth` over Application Default Credentials when ``google-auth`` is installed,
    else a :class:`~typedllm.ConfigurationError` naming every way to give a token
    (``token_provider_hint``: how this builder takes a token provider)."""
    if not google_auth_installed():
        raise ConfigurationError(
            f"{what} needs an OAuth access token: call {token_provider_hint}, "
            ".auth(tl.hosts.TokenAuth(<callable>)) or .api_key(<access token>), or install "
            "google-auth to use Application Default Credentials: pip install 'typedllm[google]'"
        )
    return TokenAuth(google_adc())
