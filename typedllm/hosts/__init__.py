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

from .._wire import Secret
from ._auth import Auth, HeaderAuth, Token, TokenAuth, api_key_header, bearer
from ._aws import AwsCredentialChain
from ._fresh import FreshStrings, fresh_strings
from ._google import CLOUD_PLATFORM_SCOPE, GoogleADC, google_adc, google_auth_installed
from ._host import Host, join_url
from ._presets import PRESETS, HostPreset, PresetRoute, ThinkingStyle, preset
from ._sigv4 import AwsCredentials, SigV4Auth
from ._vertex import vertex_adc_auth, vertex_base_url, vertex_location

__all__ = [
    "CLOUD_PLATFORM_SCOPE",
    "PRESETS",
    "Auth",
    "AwsCredentialChain",
    "AwsCredentials",
    "FreshStrings",
    "GoogleADC",
    "HeaderAuth",
    "Host",
    "HostPreset",
    "PresetRoute",
    "Secret",
    "SigV4Auth",
    "ThinkingStyle",
    "Token",
    "TokenAuth",
    "api_key_header",
    "bearer",
    "fresh_strings",
    "google_adc",
    "google_auth_installed",
    "join_url",
    "preset",
    "vertex_adc_auth",
    "vertex_base_url",
    "vertex_location",
]
