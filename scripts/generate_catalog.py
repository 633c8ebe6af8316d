"""Regenerate the typed catalog modules and builder overloads from typedllm/_catalog/data/*.json.

Usage: python scripts/generate_catalog.py [--check]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Load the generator by path: importing the package would import the very modules it generates.
_CODEGEN = Path(__file__).resolve().parent.parent / "typedllm" / "_catalog" / "_codegen.py"
_spec = importlib.util.spec_from_file_location("typedllm_codegen", _CODEGEN)
assert _spec is not None and _spec.loader is not None
_codegen = importlib.util.module_from_spec(_spec)
sys.modules["typedllm_codegen"] = _codegen  # dataclasses need the module registered
_spec.loader.exec_module(_codegen)
expected_files = _codegen.expected_files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, content in expected_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if not check:
                path.write_text(content, encoding="utf-8")
    for path in stale:
        print(("stale: " if check else "wrote: ") + str(path))
    return 1 if (check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
