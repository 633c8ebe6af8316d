"""Write docs/structured-output.md from typedllm/schema/_matrix.py.

Usage: python scripts/generate_schema_docs.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typedllm.schema._matrix import render_markdown  # noqa: E402

TARGET = ROOT / "docs" / "structured-output.md"


def main(argv: list[str]) -> int:
    content = render_markdown()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if current == content:
        return 0
    if "--check" in argv:
        print(f"stale: {TARGET} (run python scripts/generate_schema_docs.py)")
        return 1
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(content, encoding="utf-8")
    print(f"wrote: {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
