"""Test doubles for code that uses typedllm: no network, no API key, deterministic.

* :class:`FakeProvider`: an httpx transport (sync and async) that speaks the OpenAI Chat
  Completions and Responses, Anthropic Messages (also on Bedrock and Vertex AI), Gemini
  ``generateContent``, Ollama and Cohere v2 chat wires and the embeddings endpoints
  (streaming included); auto mode answers structured requests with schema-valid data,
  scripted mode answers what the test says (:meth:`FakeReply.tool_call` scripts tool calls;
  ``FakeProvider(tools="auto")`` calls the offered tools with schema-valid arguments before
  answering). Plug it in with ``builder.transport(fake)``.
* :func:`serve`: the same fake on a loopback HTTP server (``127.0.0.1``, random port), for code
  that must talk to a real socket; also ``typedllm-fake-server`` on the command line.
* :func:`generate_instance`: deterministic schema-valid data from a JSON schema.
* :func:`block_network`: fail any request that would leave the machine.
"""

from __future__ import annotations

from ._fake import FakeProvider, FakeProviderExhausted, RecordedRequest
from ._instances import InstanceError, generate_instance
from ._network import NetworkBlockedError, block_network
from ._replies import FakeReply, FakeToolCall
from ._server import FakeServer, serve

__all__ = [
    "FakeProvider",
    "FakeProviderExhausted",
    "FakeReply",
    "FakeServer",
    "FakeToolCall",
    "InstanceError",
    "NetworkBlockedError",
    "RecordedRequest",
    "block_network",
    "generate_instance",
    "serve",
]
