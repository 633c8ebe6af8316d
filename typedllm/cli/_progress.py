"""The CLI's live progress: a rich bar on a terminal (the ``progress`` extra), else a plain
line on stderr every few seconds (logs, CI, a scheduler), or nothing.

A reporter is the ``progress=`` callback of :func:`typedllm.map`: it may be called from worker
threads, so it only stores the latest snapshot under a lock and draws at most every
``interval`` seconds."""

from __future__ import annotations

import importlib
import threading
import time
from typing import IO, Any, Literal

from ..pipeline._results import Progress

__all__ = ["PlainReporter", "ProgressMode", "Reporter", "RichReporter", "make_reporter"]

ProgressMode = Literal["auto", "bar", "plain", "none"]


def _cost(cost: float | None) -> str:
    return f"${cost:.4f}" if cost is not None else "$?"


def describe(snapshot: Progress) -> str:
    """One line: counts, rate, ETA, tokens and cost."""
    total = "?" if snapshot.total is None else str(snapshot.total)
    eta = snapshot.eta
    parts = [
        f"{snapshot.finished}/{total}",
        f"done {snapshot.done}",
        f"failed {snapshot.failed}",
        f"cached {snapshot.cached}",
        f"in flight {snapshot.in_flight}",
        f"{snapshot.rate:.1f}/s",
        f"eta {eta:.0f}s" if eta is not None else "eta ?",
        f"{snapshot.usage.total_tokens} tokens",
        _cost(snapshot.cost),
    ]
    return " | ".join(parts)


class Reporter:
    """Does nothing: the base of the reporters, and ``--progress none``."""

    def __call__(self, snapshot: Progress) -> None:
        """Receive a snapshot (the ``progress=`` callback)."""

    def start(self) -> None:
        """Before the run."""

    def stop(self) -> None:
        """After the run (also after an interrupt): draw the last snapshot."""


class PlainReporter(Reporter):
    """A line on ``stream`` at most every ``interval`` seconds, and one at the end."""

    def __init__(self, stream: IO[str], *, interval: float = 5.0) -> None:
        self._stream = stream
        self._interval = interval
        self._lock = threading.Lock()
        self._last: Progress | None = None
        self._drawn_at = 0.0
        self._drawn: Progress | None = None

    def __call__(self, snapshot: Progress) -> None:
        with self._lock:
            self._last = snapshot
            now = time.monotonic()
            if now - self._drawn_at >= self._interval:
                self._drawn_at = now
                self._draw(snapshot)

    def _draw(self, snapshot: Progress) -> None:
        self._drawn = snapshot
        self._stream.write(f"typedllm: {describe(snapshot)}\n")
        self._stream.flush()

    def start(self) -> None:
        self._drawn_at = time.monotonic()  # the first line after one interval, not at once

    def stop(self) -> None:
        with self._lock:
            if self._last is not None and self._last is not self._drawn:
                self._draw(self._last)


class RichReporter(Reporter):
    """A rich progress bar on ``stream`` (a terminal)."""

    def __init__(self, stream: IO[str], rich_progress: Any, rich_console: Any) -> None:
        console = rich_console.Console(file=stream)
        self._progress: Any = rich_progress.Progress(
            rich_progress.TextColumn("[bold]typedllm[/bold]"),
            rich_progress.BarColumn(),
            rich_progress.MofNCompleteColumn(),
            rich_progress.TextColumn("{task.fields[status]}"),
            rich_progress.TimeElapsedColumn(),
            rich_progress.TextColumn("eta"),
            rich_progress.TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: Any = None
        self._lock = threading.Lock()

    def __call__(self, snapshot: Progress) -> None:
        status = (
            f"failed {snapshot.failed} | cached {snapshot.cached} | "
            f"{snapshot.usage.total_tokens} tokens | {_cost(snapshot.cost)}"
        )
        with self._lock:
            if self._task is None:
                return
            self._progress.update(
                self._task, completed=snapshot.finished, total=snapshot.total, status=status
            )

    def start(self) -> None:
        with self._lock:
            self._task = self._progress.add_task("extract", total=None, status="")
            self._progress.start()

    def stop(self) -> None:
        with self._lock:
            self._progress.stop()


def make_reporter(mode: ProgressMode, stream: IO[str], *, interval: float = 5.0) -> Reporter:
    """The reporter for ``--progress``: ``auto`` is the bar on a terminal when rich is
    installed, else plain lines; ``bar`` without rich falls back to plain lines."""
    if mode == "none":
        return Reporter()
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if mode == "bar" or (mode == "auto" and tty):
        try:
            rich_progress = importlib.import_module("rich.progress")
            rich_console = importlib.import_module("rich.console")
        except ImportError:
            pass
        else:
            return RichReporter(stream, rich_progress, rich_console)
    return PlainReporter(stream, interval=interval)
