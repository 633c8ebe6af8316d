"""The one loopback fake server every peer talks to (run in its own process by ``bench.py``).

    python benchmarks/peers/server.py PORT [SECONDS]

typedllm's ``FakeServer`` with a scripted responder, so that every client gets the same answer
whatever schema wording it sends (each peer spells the Invoice schema differently: strict
``$defs``, titles, ``anyOf`` for ``notes``...; auto mode would generate a different instance per
spelling):

* a prompt asking for ``a list of N items`` gets ``N`` items, wrapped in the object key the
  request's own schema declares (typedllm's ``result``, instructor's ``tasks``, pydantic-ai's
  ``response``, the benchmark's ``items`` model) or bare when the schema is an array;
* model ``__stats__`` gets ``{"requests": <other requests answered so far>}``: the benchmark asks
  before and after each peer and asserts the peer really sent its calls here;
* anything else gets the same Invoice (the shape of ``benchmarks/overhead.py``).

The answer always goes in ``message.content`` (JSON text), never in a tool call, so every peer
is configured in a JSON-schema or JSON mode (see README.md).
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from typedllm.testing import FakeProvider, FakeServer
from typedllm.testing._openai_wire import schema_of_request

INVOICE: dict[str, Any] = {
    "invoice_number": "INV-42",
    "customer": "ACME",
    "issued_on": "2024-03-14",
    "items": [
        {"description": "Widget", "quantity": 3, "unit_price": 19.99},
        {"description": "Setup", "quantity": 1, "unit_price": 150.0},
    ],
    "notes": None,
}

MAX_ITEMS = 8000
ITEMS = [
    {"name": f"city {i}", "population": i * 1000, "tags": ["a", "b"]} for i in range(MAX_ITEMS)
]

_LIST = re.compile(r"a list of (\d+) items")


def _last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _array_key(schema: dict[str, Any] | None) -> str | None:
    """The one array property of an object schema (``None``: answer a bare array)."""
    if not schema or schema.get("type") == "array":
        return None
    properties = schema.get("properties") or {}
    keys = [k for k, v in properties.items() if isinstance(v, dict) and "$ref" not in v]
    keys = keys or list(properties)
    if len(keys) != 1:
        raise ValueError(f"cannot tell where the list goes in {sorted(properties)}")
    return str(keys[0])


def main() -> None:
    port = int(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3600.0
    served = [0]  # the fake calls the responder under its lock

    def responder(body: dict[str, Any]) -> Any:
        if body.get("model") == "__stats__":
            return {"requests": served[0]}  # not counting these questions
        served[0] += 1
        found = _LIST.search(_last_user_text(body))
        if found:
            items = ITEMS[: int(found.group(1))]
            key = _array_key(schema_of_request(body))
            return items if key is None else {key: items}
        return INVOICE

    provider = FakeProvider(responder=responder)
    server = FakeServer(provider, port=port)
    server._server.socket.listen(1024)
    server.start()
    print(f"peers fake server on {server.base_url}", flush=True)
    threading.Event().wait(seconds)
    server.stop()


if __name__ == "__main__":
    main()
