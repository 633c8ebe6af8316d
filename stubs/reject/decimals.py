"""Rejected: ``decimals`` takes only the modes it knows."""

from __future__ import annotations

import typedllm as tl

tl.openai().decimals("float")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
tl.anthropic().decimals(True)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
