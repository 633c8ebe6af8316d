"""AWS Signature Version 4 (pure: ``hmac``/``hashlib`` only), and the auth step that signs the
final request bytes with it.

The signature is computed in four steps (https://docs.aws.amazon.com/IAM/latest/UserGuide/
reference_sigv-create-signed-request.html):

1. the **canonical request**: method, canonical URI, canonical query string, canonical headers,
   the signed header names and the hex SHA-256 of the body, one per line;
2. the **string to sign**: ``AWS4-HMAC-SHA256``, the request time, the credential scope
   (``date/region/service/aws4_request``) and the hex SHA-256 of the canonical request;
3. the **signing key**: HMAC-SHA256 chained over the date, region, service and
   ``aws4_request``, starting from ``"AWS4" + secret key``;
4. the ``Authorization`` header: ``AWS4-HMAC-SHA256 Credential=<key id>/<scope>,
   SignedHeaders=<names>, Signature=<hex HMAC of the string to sign>``.

The canonical URI of every service but S3 is the path *as sent*, with dot segments and empty
segments removed, URI-encoded once more (so a path sent with ``%3A``, as Bedrock model ids are,
is signed as ``%253A``). The query is decoded and encoded again, sorted by name then value.
Header values are trimmed and inner runs of spaces collapsed; repeated headers are joined with
commas. The signer is checked against AWS's SigV4 test suite (``tests/data/sigv4``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .._errors import ConfigurationError
from .._wire import Secret, WireRequest
from ._auth import Auth

__all__ = [
    "ALGORITHM",
    "AwsCredentials",
    "SigV4Auth",
    "SignedRequest",
    "canonical_headers",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "sign",
    "signing_key",
    "string_to_sign",
]

ALGORITHM = "AWS4-HMAC-SHA256"
_UNRESERVED = "-_.~"  # with letters and digits: never encoded (RFC 3986)
# Headers a proxy or the HTTP library may change or add after signing: never signed.
_UNSIGNED = frozenset(
    {"authorization", "user-agent", "expect", "x-amzn-trace-id", "content-length", "accept"}
)
_SIGNED_ALWAYS = ("host", "content-type")


@dataclass(frozen=True, slots=True)
class AwsCredentials:
    """An AWS access key id, its secret key and (temporary credentials) a session token.

    The secret key and the session token are :class:`~typedllm._wire.Secret`\\ s: never in a
    ``repr``, never pickled in clear.

    Attributes:
        access_key_id: the access key id (``AKIA...``/``ASIA...``; not a secret by itself).
        secret_access_key: the secret key.
        session_token: the session token of temporary credentials.
        expires_at: when temporary credentials expire (a ``time.time()`` timestamp).
        source: where they were found (``"environment"``, ``"shared credentials file"``...).
    """

    access_key_id: str
    secret_access_key: Secret
    session_token: Secret | None = None
    expires_at: float | None = None
    source: str = "explicit"

    def __repr__(self) -> str:
        token = ", session_token=Secret('**********')" if self.session_token else ""
        return (
            f"AwsCredentials(access_key_id={self.access_key_id[:4]}..., "
            f"secret_access_key=Secret('**********'){token}, source={self.source!r})"
        )

    def secrets(self) -> tuple[str, ...]:
        """The secret values (to scrub from anything a server echoes)."""
        values = [self.secret_access_key.get()]
        if self.session_token is not None:
            values.append(self.session_token.get())
        return tuple(values)


# -- the pure steps ---------------------------------------------------------------------------


def _encode(text: str, safe: str = _UNRESERVED) -> str:
    return quote(text, safe=safe)


def canonical_uri(path: str) -> str:
    """The canonical URI of ``path`` as sent: normalized (no ``.``/``..`` or empty segments, a
    trailing slash kept), then each byte outside the unreserved set percent-encoded."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
            continue
        segments.append(segment)
    normalized = "/" + "/".join(segments)
    if path.endswith("/") and segments:
        normalized += "/"
    return _encode(normalized, safe="/" + _UNRESERVED)


def canonical_query(query: str) -> str:
    """The canonical query string: each name and value decoded, encoded again, sorted."""
    if not query:
        return ""
    pairs: list[tuple[str, str]] = []
    for item in query.split("&"):
        if not item:
            continue
        name, _, value = item.partition("=")
        pairs.append((_encode(unquote(name)), _encode(unquote(value))))
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def _trim(value: str) -> str:
    return " ".join(value.split())


def canonical_headers(headers: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """``(canonical headers, signed header names)`` of ``(name, value)`` pairs (a name may
    repeat: the values are joined with commas in the order given)."""
    merged: dict[str, list[str]] = {}
    for name, value in headers:
        merged.setdefault(name.lower().strip(), []).append(_trim(value))
    names = sorted(merged)
    block = "".join(f"{name}:{','.join(merged[name])}\n" for name in names)
    return block, ";".join(names)


def canonical_request(
    method: str,
    path: str,
    query: str,
    headers: Iterable[tuple[str, str]],
    payload_hash: str,
) -> str:
    """The canonical request (step 1)."""
    block, signed = canonical_headers(headers)
    return "\n".join(
        [method.upper(), canonical_uri(path), canonical_query(query), block, signed, payload_hash]
    )


def string_to_sign(amz_date: str, scope: str, creq: str) -> str:
    """The string to sign (step 2) of a canonical request."""
    digest = hashlib.sha256(creq.encode("utf-8")).hexdigest()
    return "\n".join([ALGORITHM, amz_date, scope, digest])


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    """The signing key (step 3) for one day, region and service."""
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What signing produced: the intermediate strings (for tests and debugging) and the
    headers to add."""

    canonical_request: str
    string_to_sign: str
    authorization: str
    headers: dict[str, str] = field(default_factory=dict[str, str])


def sign(
    *,
    method: str,
    path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    credentials: AwsCredentials,
    region: str,
    service: str,
    amz_date: str,
) -> SignedRequest:
    """Sign a request whose ``headers`` (``host`` and ``x-amz-date`` among them) are exactly
    the ones to sign (step 4)."""
    payload_hash = hashlib.sha256(body).hexdigest()
    creq = canonical_request(method, path, query, headers, payload_hash)
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    sts = string_to_sign(amz_date, scope, creq)
    key = signing_key(credentials.secret_access_key.get(), amz_date[:8], region, service)
    signature = hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()
    _, signed = canonical_headers(headers)
    authorization = (
        f"{ALGORITHM} Credential={credentials.access_key_id}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return SignedRequest(creq, sts, authorization, {"authorization": authorization})


def _amz_date(now: float) -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))


def _host_header(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return host if parts.port is None or parts.port == default else f"{host}:{parts.port}"


# -- the auth step ----------------------------------------------------------------------------

CredentialSource = Callable[[], AwsCredentials]
"""A callable that finds credentials (the environment, the shared files, botocore...)."""


@dataclass(frozen=True, slots=True)
class FetchCredentials:
    """The effect of finding AWS credentials (it may read files, or ask botocore, which may
    ask the instance metadata service): in the caller's thread for sync calls, in a worker
    thread for async calls."""

    source: CredentialSource

    def run(self) -> AwsCredentials:
        """Find the credentials synchronously."""
        return self.source()

    async def arun(self) -> AwsCredentials:
        """Find the credentials without blocking the event loop."""
        import asyncio

        return await asyncio.to_thread(self.source)


@dataclass(eq=False)
class SigV4Auth(Auth):
    """Signs each final request (URL, signed headers and body bytes) with AWS SigV4.

    Credentials come from ``source``, called on first use and again ``refresh_margin``
    seconds before temporary credentials expire; they are never pickled (an unpickled client
    finds its own). ``clock`` is for tests.

    Args:
        source: finds the credentials (e.g. :class:`typedllm.hosts.AwsCredentialChain`).
        region: the AWS region (``us-east-1``).
        service: the signing name (``bedrock`` for Bedrock Runtime).
    """

    source: CredentialSource
    region: str
    service: str = "bedrock"
    refresh_margin: float = 300.0
    clock: Callable[[], float] = field(default=time.time, repr=False)
    _credentials: AwsCredentials | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.region or not isinstance(self.region, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError("SigV4 signing needs an AWS region")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_credentials"] = None  # found again by the receiving process
        return state

    def _fresh(self) -> AwsCredentials | None:
        creds = self._credentials
        if creds is None:
            return None
        if creds.expires_at is not None and self.clock() >= creds.expires_at - self.refresh_margin:
            return None
        return creds

    def sign_request(self, request: WireRequest, credentials: AwsCredentials) -> WireRequest:
        """``request`` with ``x-amz-date``, the session token and ``authorization`` set."""
        parts = urlsplit(request.url)
        amz_date = _amz_date(self.clock())
        extra = {"x-amz-date": amz_date}
        if credentials.session_token is not None:
            extra["x-amz-security-token"] = credentials.session_token.get()
        request = request.with_headers(extra)
        signed_pairs = [("host", _host_header(request.url))]
        for name, value in request.headers.items():
            lower = name.lower()
            if lower == "host" or lower in _UNSIGNED:
                continue
            if lower in _SIGNED_ALWAYS or lower.startswith("x-amz-"):
                signed_pairs.append((lower, value))
        signed = sign(
            method=request.method,
            path=parts.path or "/",
            query=parts.query,
            headers=signed_pairs,
            body=request.body,
            credentials=credentials,
            region=self.region,
            service=self.service,
            amz_date=amz_date,
        )
        return request.with_headers(signed.headers)

    def auth_flow(self, request: WireRequest) -> Generator[Any, Any, WireRequest]:
        """Find (or reuse) the credentials, then sign."""
        creds = self._fresh()
        if creds is None:
            found = yield FetchCredentials(self.source)
            if not isinstance(found, AwsCredentials):
                raise ConfigurationError("the AWS credential source returned no credentials")
            self._credentials = creds = found
        return self.sign_request(request, creds)

    def secrets(self) -> tuple[str, ...]:
        """The secret key and session token in use, if found yet."""
        return self._credentials.secrets() if self._credentials is not None else ()
