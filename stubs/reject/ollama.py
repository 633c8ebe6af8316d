"""Rejected: misuse of the Ollama native builder (one misuse per line)."""

from __future__ import annotations

import typedllm as tl

start = tl.ollama()
chosen = start.model("llama3.2")

# -- build() and model-dependent options need a model --
start.build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.num_ctx(4096).keep_alive("5m").build()  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.temperature(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.top_p(0.1)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.top_k(5)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
start.think(True)  # type: ignore[misc]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]

# -- wrong option types --
tl.ollama("http://localhost:11434")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
start.model(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
start.model("x", like="llama3.2")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
chosen.think("extreme")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.think(1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.think(None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.temperature("hot")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.top_k(1.5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.num_ctx("big")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.num_ctx(4096.0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.keep_alive([5])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.keep_alive(None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.options(mirostat={"a": 1})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.options(1.1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
chosen.structured_output("strict")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
chosen.base_url(None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# -- an Ollama builder is not another provider's builder --
_as_compatible: tl.OpenAICompatibleBuilder[tl.CompatibleModel] = chosen  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_no_model: tl.OllamaBuilder[tl.NoModel] = chosen  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_as_chosen: tl.OllamaBuilder[tl.CompatibleModel] = start  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
