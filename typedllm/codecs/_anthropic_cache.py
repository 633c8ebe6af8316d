"""Anthropic prompt-cache breakpoints on an encoded Messages body (pure).

Anthropic caches the prompt prefix up to each block marked with
``cache_control: {"type": "ephemeral", "ttl": "5m" | "1h"}``; the prefix is rendered in the
order tools, system, messages; a request holds at most 4 breakpoints, and a breakpoint with a
longer TTL must come before one with a shorter TTL
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching).

Users place breakpoints with :class:`~typedllm.CachePoint` parts (the codec marks the block
before them). ``prompt_cache="auto"`` (the builder's ``.prompt_cache("auto")``) adds them where a
prefix is stable from one call to the next: the last tool, the end of the system prompt, the
last message (the next turn of the conversation starts with all of it) and the user message
before it (so a conversation that grew by more than the 20 blocks Anthropic looks back still
finds its earlier entry), as many as fit next to the user's own.
"""

from __future__ import annotations

from typing import Any, cast

from .._errors import ConfigurationError

__all__ = ["MAX_BREAKPOINTS", "apply_prompt_cache", "check_breakpoints"]

MAX_BREAKPOINTS = 4
_TTL_SECONDS = {"5m": 300, "1h": 3600}


def _control(ttl: str | None) -> dict[str, Any]:
    control: dict[str, Any] = {"type": "ephemeral"}
    if ttl is not None:
        control["ttl"] = ttl
    return control


def _blocks_in_order(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every block that can carry ``cache_control``, in the order Anthropic renders them."""
    out: list[dict[str, Any]] = [cast(dict[str, Any], t) for t in body.get("tools") or ()]
    system = body.get("system")
    if isinstance(system, list):
        system_blocks: list[Any] = system  # pyright: ignore[reportUnknownVariableType]
        out += [cast(dict[str, Any], b) for b in system_blocks]
    for message in body.get("messages") or ():
        content = cast(dict[str, Any], message).get("content")
        if isinstance(content, list):
            blocks: list[Any] = content  # pyright: ignore[reportUnknownVariableType]
            out += [cast(dict[str, Any], b) for b in blocks]
    return out


def _as_block_list(holder: dict[str, Any], key: str) -> list[dict[str, Any]] | None:
    """``holder[key]`` as a list of blocks (a plain string becomes one text block)."""
    value = holder.get(key)
    if isinstance(value, str):
        if not value:
            return None
        holder[key] = [{"type": "text", "text": value}]
    elif not isinstance(value, list) or not value:
        return None
    return cast(list[dict[str, Any]], holder[key])


def _mark(block: dict[str, Any] | None, ttl: str | None, budget: list[int]) -> None:
    if block is None or "cache_control" in block or budget[0] <= 0:
        return
    if block.get("type") in ("thinking", "redacted_thinking"):
        return  # thinking blocks cannot carry cache_control
    block["cache_control"] = _control(ttl)
    budget[0] -= 1


def apply_prompt_cache(body: dict[str, Any], ttl: str | None) -> None:
    """Add automatic breakpoints to ``body`` (in place), within the 4 a request may hold."""
    used = sum(1 for b in _blocks_in_order(body) if "cache_control" in b)
    budget = [MAX_BREAKPOINTS - used]
    tools = body.get("tools")
    if isinstance(tools, list) and tools:
        _mark(cast(dict[str, Any], tools[-1]), ttl, budget)
    system = _as_block_list(body, "system") if body.get("system") else None
    if system:
        _mark(system[-1], ttl, budget)
    messages = cast(list[dict[str, Any]], body.get("messages") or [])
    candidates: list[dict[str, Any]] = []
    if messages:
        candidates.append(messages[-1])
        earlier_users = [m for m in messages[:-1] if m.get("role") == "user"]
        if earlier_users:
            candidates.append(earlier_users[-1])
    for message in candidates:
        blocks = _as_block_list(message, "content")
        if blocks:
            marked = [b for b in blocks if b.get("type") not in ("thinking", "redacted_thinking")]
            _mark(marked[-1] if marked else None, ttl, budget)


def check_breakpoints(body: dict[str, Any]) -> None:
    """At most 4 breakpoints, and no longer TTL after a shorter one (the API's rules, raised
    before sending as :class:`~typedllm.ConfigurationError`)."""
    controls = [
        cast(dict[str, Any], b["cache_control"])
        for b in _blocks_in_order(body)
        if isinstance(b.get("cache_control"), dict)
    ]
    if len(controls) > MAX_BREAKPOINTS:
        raise ConfigurationError(
            f"Anthropic takes at most {MAX_BREAKPOINTS} prompt-cache breakpoints per request, "
            f"this one has {len(controls)} (tl.CachePoint parts and .prompt_cache('auto'))"
        )
    shortest = None
    for control in controls:
        seconds = _TTL_SECONDS.get(str(control.get("ttl") or "5m"), 300)
        if shortest is not None and seconds > shortest:
            raise ConfigurationError(
                "a prompt-cache breakpoint with a 1h TTL cannot follow one with a 5m TTL "
                "(Anthropic renders tools, system, then messages; longer TTLs come first)"
            )
        shortest = seconds if shortest is None else min(shortest, seconds)
