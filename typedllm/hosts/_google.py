"""Google Cloud OAuth access tokens from Application Default Credentials (optional extra).

:func:`google_adc` makes a token source for :class:`~typedllm.hosts.TokenAuth` that asks
``google-auth`` (``pip install 'typedllm[google]'``) for the Application Default Credentials
(``GOOGLE_APPLICATION_CREDENTIALS``, ``gcloud auth application-default login``, the metadata
server of GCE/GKE/Cloud Run ...), refreshes them and returns the access token with its expiry.
It is provider-neutral: any Google Cloud host (Gemini and Anthropic on Vertex AI) can use it.

``google-auth`` is imported on the first token fetch, never by ``import typedllm``. Its
refresh needs an HTTP transport: ``google-auth`` only brings adapters for ``requests`` and
``urllib3`` (neither of which it requires), so the refresh goes through a small adapter over
httpx, typedllm's own HTTP library.

ADC: https://cloud.google.com/docs/authentication/application-default-credentials
``google.auth.default``: https://googleapis.dev/python/google-auth/latest/reference/google.auth.html
"""

from __future__ import annotations

import datetime as _dt
import importlib
import importlib.util
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from .._errors import ConfigurationError
from .._wire import Secret
from ._auth import Token

__all__ = [
    "CLOUD_PLATFORM_SCOPE",
    "GoogleADC",
    "google_adc",
    "google_auth_installed",
]

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""The OAuth scope Vertex AI accepts."""

_INSTALL = "pip install 'typedllm[google]'"


def google_auth_installed() -> bool:
    """Whether ``google-auth`` can be imported (the ``google`` extra is installed)."""
    if sys.modules.get("google.auth") is not None:
        return True
    try:
        return importlib.util.find_spec("google.auth") is not None
    except (ImportError, ValueError):  # ``google`` is a namespace; a broken one raises
        return False


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ConfigurationError(
            "Application Default Credentials need google-auth: " + _INSTALL
        ) from None


def _httpx_request(transport: Any, exceptions: Any) -> Any:
    """A ``google.auth.transport.Request`` that sends with httpx (``google-auth`` calls it to
    reach the token endpoint or the metadata server)."""
    import httpx

    class _Response(transport.Response):  # type: ignore[misc]
        def __init__(self, response: httpx.Response) -> None:
            self._response = response

        @property
        def status(self) -> int:
            return self._response.status_code

        @property
        def headers(self) -> Mapping[str, str]:
            return self._response.headers

        @property
        def data(self) -> bytes:
            return self._response.content

    class _Request(transport.Request):  # type: ignore[misc]
        def __call__(
            self,
            url: str,
            method: str = "GET",
            body: bytes | None = None,
            headers: Mapping[str, str] | None = None,
            timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            try:
                response = httpx.request(
                    method, url, content=body, headers=headers, timeout=timeout or 120.0
                )
            except httpx.HTTPError as exc:
                raise exceptions.TransportError(exc) from exc
            return _Response(response)

    return _Request()


class GoogleADC:
    """A token source of Application Default Credentials (see :func:`google_adc`).

    Each call refreshes the credentials and returns the new access token with its expiry;
    :class:`~typedllm.hosts.TokenAuth` calls it only when it has no token or its token is
    about to expire. It pickles as its settings (credentials are looked up again where it is
    unpickled, as the environment there says)."""

    def __init__(self, scopes: Sequence[str], quota_project: str | None = None) -> None:
        self.scopes = tuple(scopes)
        self.quota_project = quota_project
        self._credentials: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"GoogleADC(scopes={list(self.scopes)!r}, quota_project={self.quota_project!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"scopes": self.scopes, "quota_project": self.quota_project}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["scopes"], state["quota_project"])  # type: ignore[misc]

    def _load(self) -> Any:
        auth = _import("google.auth")
        credentials, _project = auth.default(
            scopes=list(self.scopes), quota_project_id=self.quota_project
        )
        return credentials

    def __call__(self) -> Token:
        """Refresh the credentials and return the access token (blocking I/O: an async call
        runs it in a worker thread)."""
        with self._lock:
            if self._credentials is None:
                self._credentials = self._load()
            credentials = self._credentials
            request = _httpx_request(
                _import("google.auth.transport"), _import("google.auth.exceptions")
            )
            try:
                credentials.refresh(request)
            except Exception as exc:
                # google-auth's errors may quote the credentials' request: keep only the type
                # and its first line, which name the problem (no token in it: none was issued).
                first = str(exc).splitlines()[0][:300] if str(exc) else ""
                raise ConfigurationError(
                    "could not get a Google access token from Application Default Credentials "
                    f"({type(exc).__name__}: {first}); run `gcloud auth application-default "
                    "login` or set GOOGLE_APPLICATION_CREDENTIALS"
                ) from None
            token = credentials.token
            if not isinstance(token, str) or not token:
                raise ConfigurationError("Application Default Credentials returned no token")
            return Token(Secret(token), _timestamp(getattr(credentials, "expiry", None)))


def _timestamp(expiry: Any) -> float | None:
    """google-auth's ``expiry`` (a naive UTC datetime) as a ``time.time()`` timestamp."""
    if not isinstance(expiry, _dt.datetime):
        return None
    when: _dt.datetime = expiry
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.timestamp()


def google_adc(
    scopes: Sequence[str] = (CLOUD_PLATFORM_SCOPE,), *, quota_project: str | None = None
) -> GoogleADC:
    """A token source of Google Application Default Credentials, for
    ``tl.hosts.TokenAuth(tl.hosts.google_adc())`` (the default auth of Vertex AI clients when
    ``google-auth`` is installed).

    Raises :class:`~typedllm.ConfigurationError` naming ``pip install 'typedllm[google]'`` when
    ``google-auth`` is not installed.

    >>> import typedllm as tl
    >>> source = tl.hosts.google_adc()  # doctest: +SKIP
    """
    if isinstance(scopes, str):
        scopes = (scopes,)
    if not scopes or not all(isinstance(s, str) and s for s in scopes):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError("google_adc takes one or more OAuth scopes (strings)")
    if not google_auth_installed():
        raise ConfigurationError("Application Default Credentials need google-auth: " + _INSTALL)
    return GoogleADC(scopes, quota_project)
