"""Separating an in-band ``<think>...</think>`` block from streamed answer text (pure).

DeepSeek-R1, Qwen3 and other reasoning models served by llama.cpp, Ollama and many
OpenAI-compatible hosts put their reasoning at the start of the answer, between ``<think>``
tags. A streamed answer splits those tags across deltas at any point, so the splitter keeps
just enough text to recognise them.
"""

from __future__ import annotations

__all__ = ["StreamThinkSplitter"]


class StreamThinkSplitter:
    """Separates a leading ``<think>...</think>`` block from streamed content, across deltas."""

    def __init__(self) -> None:
        self._buffer = ""
        self._mode = "start"  # "start" | "think" | "after_think" | "answer"

    def feed(self, text: str) -> tuple[str, str]:
        """``(answer, reasoning)`` parts of this delta."""
        if self._mode == "answer":
            return text, ""
        if self._mode == "after_think":  # drop the whitespace between the block and the answer
            text = text.lstrip()
            if text:
                self._mode = "answer"
            return text, ""
        self._buffer += text
        if self._mode == "start":
            stripped = self._buffer.lstrip()
            if not stripped:
                return "", ""
            if "<think>".startswith(stripped[:7]) and len(stripped) < 7:
                return "", ""  # could still become "<think>"
            if not stripped.startswith("<think>"):
                self._mode, out, self._buffer = "answer", self._buffer, ""
                return out, ""
            self._mode = "think"
            self._buffer = stripped.removeprefix("<think>")
        end = self._buffer.find("</think>")
        if end == -1:
            keep = 8  # a "</think>" may be split across deltas
            thought, self._buffer = self._buffer[:-keep], self._buffer[-keep:]
            return "", thought
        thought, rest = self._buffer[:end], self._buffer[end + len("</think>") :]
        self._mode, self._buffer = "after_think", ""
        answer, _ = self.feed(rest)
        return answer, thought

    def flush(self) -> tuple[str, str]:
        """``(answer, reasoning)`` still buffered at the end: the start of an answer that could
        still have become ``<think>``, or an unterminated think block."""
        out, self._buffer = self._buffer, ""
        if self._mode == "think":
            return "", out
        if self._mode == "start":
            self._mode = "answer"
            return out, ""
        return "", ""
