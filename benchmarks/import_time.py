"""Import cost of typedllm against its own dependencies (``import pydantic, httpx, orjson``).

Each figure is a whole fresh interpreter, timed over several runs (median), paired with the
baseline in the same run so that a busy machine shifts both:

* ``import typedllm``: the package imports its public names on first use, so the bare import
  is cheap (goal: at most 1.25x the baseline);
* ``tl.openai()``: the builders and the catalog;
* ``build()``: a client ready to call (httpx, the flows and a codec loaded).

Usage: python benchmarks/import_time.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

BASELINE = "import pydantic, httpx, orjson"
CASES = {
    "import typedllm": "import typedllm",
    "tl.openai()": "import typedllm as tl; tl.openai()",
    "build()": "import typedllm as tl; tl.openai().model('gpt-4o-mini').api_key('k').build()",
}
GOAL = 1.25


def _run(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    _run(CASES["build()"])  # warm the file cache (and write bytecode where allowed)
    ratios: dict[str, list[float]] = {name: [] for name in CASES}
    base_times: list[float] = []
    for _ in range(args.runs):
        base = _run(BASELINE)
        base_times.append(base)
        for name, code in CASES.items():
            ratios[name].append(_run(code) / base)
    print(f"baseline `{BASELINE}`: {statistics.median(base_times) * 1000:.1f} ms (median)")
    for name, values in ratios.items():
        print(f"{name:>16}: {statistics.median(values):.2f}x the baseline (median of {args.runs})")
    bare = statistics.median(ratios["import typedllm"])
    print(f"goal: import typedllm <= {GOAL}x -> {'met' if bare <= GOAL else 'NOT met'}")
    return 0 if bare <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
