"""Deterministic ids for the fake's tool calls, in each wire's style."""

from __future__ import annotations

from ._replies import FakeToolCall

__all__ = ["call_id"]


def call_id(call: FakeToolCall, prefix: str, index: int, position: int) -> str:
    """The scripted id, else ``<prefix><request index>_<position>``: the same script always
    gives the same ids, and ids differ across the requests of one fake."""
    return call.id if call.id is not None else f"{prefix}{index:06d}_{position}"
