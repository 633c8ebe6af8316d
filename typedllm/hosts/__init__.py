"""Hosts and auth steps, apart from the wire format.

A wire codec says how request and answer bodies look; a :class:`Host` says where they go (base
URL with its query string kept, a path per operation and model, default headers); an
:class:`Auth` step authenticates the final request (a key header, a bearer token, a token
fetched and refreshed through the flow). A preset is a host plus defaults.

>>> from typedllm.hosts import Host, bearer
>>> Host("azure", "https://x.openai.azure.com/openai/v1?api-version=preview").name
'azure'
"""

from ._auth import Auth, HeaderAuth, Token, TokenAuth, api_key_header, bearer
from ._host import Host, join_url
from ._presets import PRESETS, HostPreset, PresetRoute, ThinkingStyle, preset

__all__ = [
    "PRESETS",
    "Auth",
    "HeaderAuth",
    "Host",
    "HostPreset",
    "PresetRoute",
    "ThinkingStyle",
    "Token",
    "TokenAuth",
    "api_key_header",
    "bearer",
    "join_url",
    "preset",
]
