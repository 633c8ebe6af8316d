"""The SigV4 signer against AWS's published test suite (tests/data/sigv4), and the auth step
that signs final requests."""

from __future__ import annotations

import calendar
import hashlib
import pickle
import time
from pathlib import Path

import pytest

from typedllm._wire import Secret, WireRequest
from typedllm.hosts._sigv4 import (
    AwsCredentials,
    FetchCredentials,
    SigV4Auth,
    canonical_uri,
    sign,
)

SUITE = Path(__file__).parent / "data" / "sigv4"
CREDENTIALS = AwsCredentials("AKIDEXAMPLE", Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
CASES = sorted(p.parent for p in SUITE.rglob("*.req"))


def _parse(raw: str) -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    """``(method, path, query, headers, body)`` of a suite ``.req`` file (a path may hold
    spaces; a header line starting with whitespace continues the previous value)."""
    head, _, body = raw.partition("\n\n")
    lines = head.split("\n")
    request_line = lines[0]
    method, _, rest = request_line.partition(" ")
    target = rest.removesuffix(" HTTP/1.1")
    path, _, query = target.partition("?")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return method, path, query, headers, body.encode()


def _read(case: Path, suffix: str) -> str:
    return (case / f"{case.name}{suffix}").read_text(encoding="utf-8")


def test_the_suite_is_there() -> None:
    assert len(CASES) >= 30
    assert (SUITE / "LICENSE").is_file()
    assert (SUITE / "NOTICE").is_file()


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(SUITE)) for c in CASES])
def test_suite_vector(case: Path) -> None:
    method, path, query, headers, body = _parse(_read(case, ".req"))
    # A session token the signed request has and the request lacks is the signer's to add:
    # signed (the canonical request names it) or, in post-sts-header-after, added after.
    if "x-amz-security-token" in _read(case, ".creq") and "x-amz-security-token" not in {
        k.lower() for k, _ in headers
    }:
        signed_request = _parse(_read(case, ".sreq"))[3]
        headers += [(k, v) for k, v in signed_request if k.lower() == "x-amz-security-token"]
    amz_date = next(v for k, v in headers if k.lower() == "x-amz-date")
    signed = sign(
        method=method,
        path=path,
        query=query,
        headers=headers,
        body=body,
        credentials=CREDENTIALS,
        region="us-east-1",
        service="service",
        amz_date=amz_date,
    )
    assert signed.canonical_request == _read(case, ".creq")
    assert signed.string_to_sign == _read(case, ".sts")
    assert signed.authorization == _read(case, ".authz")


def _clock_at(stamp: str) -> float:
    return float(calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ")))


def _run(auth: SigV4Auth, request: WireRequest) -> WireRequest:
    """Drive the auth flow as a driver would (running its effects)."""
    flow = auth.auth_flow(request)
    try:
        effect = next(flow)
        while True:
            assert isinstance(effect, FetchCredentials)
            effect = flow.send(effect.run())
    except StopIteration as done:
        result: WireRequest = done.value
        return result


def test_auth_step_reproduces_post_vanilla() -> None:
    auth = SigV4Auth(
        lambda: CREDENTIALS,
        "us-east-1",
        service="service",
        clock=lambda: _clock_at("20150830T123600Z"),
    )
    signed = _run(auth, WireRequest("POST", "https://example.amazonaws.com/"))
    case = SUITE / "post-vanilla"
    assert signed.headers["authorization"] == _read(case, ".authz")
    assert signed.headers["x-amz-date"] == "20150830T123600Z"


def test_auth_step_signs_the_session_token_and_the_body() -> None:
    creds = AwsCredentials("AKIDEXAMPLE", Secret("secret-key"), Secret("the-session-token"))
    auth = SigV4Auth(lambda: creds, "eu-west-1", clock=lambda: _clock_at("20250102T030405Z"))
    request = WireRequest(
        "POST",
        "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.x-v1%3A0/invoke",
        {"content-type": "application/json", "accept": "application/json"},
        b'{"a": 1}',
    )
    signed = _run(auth, request)
    authz = signed.headers["authorization"]
    assert authz.startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/eu-west-1/bedrock/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
    )
    assert signed.headers["x-amz-security-token"] == "the-session-token"
    # Another body is another signature (the body's hash is signed).
    other = _run(auth, WireRequest(request.method, request.url, request.headers, b'{"a": 2}'))
    assert other.headers["authorization"] != authz


def test_bedrock_paths_are_signed_encoded_twice() -> None:
    # The id is sent as anthropic.x-v1%3A0; every service but S3 signs it encoded again.
    assert canonical_uri("/model/anthropic.x-v1%3A0/invoke") == "/model/anthropic.x-v1%253A0/invoke"
    assert canonical_uri("/model/us.anthropic.y/invoke") == "/model/us.anthropic.y/invoke"


def test_credentials_are_fetched_once_and_refreshed_before_expiry() -> None:
    now = [1_000_000.0]
    calls: list[int] = []

    def source() -> AwsCredentials:
        calls.append(1)
        return AwsCredentials("AKID", Secret("s"), expires_at=now[0] + 3600)

    auth = SigV4Auth(source, "us-east-1", clock=lambda: now[0])
    request = WireRequest("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/x")
    _run(auth, request)
    _run(auth, request)
    assert len(calls) == 1
    now[0] += 3600 - 60  # inside the refresh margin
    _run(auth, request)
    assert len(calls) == 2


def test_secrets_never_show_and_cached_credentials_are_not_pickled() -> None:
    creds = AwsCredentials("AKIDEXAMPLE", Secret("top-secret-key"), Secret("tok-secret"))
    assert "top-secret-key" not in repr(creds)
    assert "tok-secret" not in repr(creds)
    auth = SigV4Auth(_static_source, "us-east-1")
    _run(auth, WireRequest("POST", "https://bedrock-runtime.us-east-1.amazonaws.com/x"))
    assert "static-secret" in auth.secrets()
    restored = pickle.loads(pickle.dumps(auth))
    assert restored.secrets() == ()
    assert b"static-secret" not in pickle.dumps(auth)


def _static_source() -> AwsCredentials:
    return AwsCredentials("AKID", Secret("static-secret", shareable=True))


def test_payload_hash_is_sha256_of_the_body() -> None:
    signed = sign(
        method="POST",
        path="/",
        query="",
        headers=[("host", "h"), ("x-amz-date", "20150830T123600Z")],
        body=b"Param1=value1",
        credentials=CREDENTIALS,
        region="us-east-1",
        service="service",
        amz_date="20150830T123600Z",
    )
    assert signed.canonical_request.endswith(hashlib.sha256(b"Param1=value1").hexdigest())


@pytest.mark.parametrize(
    "url",
    [
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
        "https://bedrock-runtime.eu-west-1.amazonaws.com/model/"
        "eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream",
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/"
        "arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/invoke",
    ],
)
def test_same_signature_as_botocore(url: str) -> None:
    """Cross-check on Bedrock URLs (encoded ``:`` and ``/`` in the id) with botocore's own
    signer, when the optional extra is installed."""
    pytest.importorskip("botocore", reason="pip install 'typedllm[bedrock]'")
    from botocore.auth import SigV4Auth as BotocoreSigV4  # pyright: ignore[reportMissingImports]
    from botocore.awsrequest import AWSRequest  # pyright: ignore[reportMissingImports]
    from botocore.credentials import Credentials  # pyright: ignore[reportMissingImports]

    region = url.split(".")[1]
    body = '{"messages": [{"role": "user", "content": "héllo"}]}'.encode()
    theirs = AWSRequest("POST", url, data=body, headers={"content-type": "application/json"})
    BotocoreSigV4(Credentials("AKIDEXAMPLE", "secret-key", "tok"), "bedrock", region).add_auth(
        theirs
    )
    stamp = theirs.headers["X-Amz-Date"]
    auth = SigV4Auth(_static_source, region, clock=lambda: _clock_at(stamp))
    creds = AwsCredentials("AKIDEXAMPLE", Secret("secret-key"), Secret("tok"))
    ours = auth.sign_request(
        WireRequest("POST", url, {"content-type": "application/json"}, body), creds
    )
    assert ours.headers["authorization"] == theirs.headers["Authorization"]
