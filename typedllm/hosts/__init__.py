"""Hosts and auth steps, apart from the wire format.

A wire codec says how request and answer bodies look; a :class:`Host` says where they go (base
URL with its query string kept, a path per operation and model, default headers); an
:class:`Auth` step authenticates the final request (a key header, a bearer token, a token
fetched and refreshed through the flow, AWS SigV4 over the final body bytes). A preset is a
host plus defaults.

>>> from typedllm.hosts import Host, bearer
>>> Host("azure", "https://x.openai.azure.com/openai/v1?api-version=preview").name
'azure'
"""

from ._auth import Auth, HeaderAuth, Token, TokenAuth, api_key_header, bearer
from ._aws import AwsCredentialChain
from ._host import Host, join_url
from ._sigv4 import AwsCredentials, SigV4Auth

__all__ = [
    "Auth",
    "AwsCredentialChain",
    "AwsCredentials",
    "HeaderAuth",
    "Host",
    "SigV4Auth",
    "Token",
    "TokenAuth",
    "api_key_header",
    "bearer",
    "join_url",
]
