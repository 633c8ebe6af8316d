"""Every recorded SSE body in the conformance corpus, byte-exact, by case id."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))
from _corpus import load_cases

SSE_CASES = load_cases(lambda c: "sse" in c["response"])
RECORDED_STREAMS: dict[str, bytes] = {c["id"]: c["response"]["sse"].encode() for c in SSE_CASES}
