"""Rejected: embedding-builder misuse (one per line, see the other reject files)."""

from __future__ import annotations

import typedllm as tl

# -- chat options do not exist on an embedding builder --
tl.openai().embedding_model("text-embedding-3-small").temperature(0.5)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().embedding_model("text-embedding-3-small").max_tokens(10)  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().embedding_model("text-embedding-3-small").system("x")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.openai().embedding_model("text-embedding-3-small").build().complete("hi")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]

# -- listed names only; like= only listed names --
tl.openai().embedding_model("gpt-4o")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
tl.openai().embedding_model("x", like="gpt-4o")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
tl.cohere().embedding_model("text-embedding-3-small")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
tl.gemini().embedding_model("embed-v4.0")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]

# -- input types are Literals; each provider has its own option --
tl.cohere().embedding_model("embed-v4.0").input_type("search")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.gemini().embedding_model("gemini-embedding-001").task_type("retrieval")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.openai().embedding_model("text-embedding-3-small").input_type("search_query")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
tl.cohere().embedding_model("embed-v4.0").task_type("CLUSTERING")  # type: ignore[attr-defined]  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]

# -- the record's vectors are floats; embed takes texts --
_vector: list[str] = tl.openai().embedding_model("text-embedding-3-small").build().embed_one("a")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
tl.openai().embedding_model("text-embedding-3-small").build().embed([1, 2])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
tl.openai().embedding_model("text-embedding-3-small").dimensions("256")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
