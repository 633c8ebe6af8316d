"""``python -m typedllm``: the ``typedllm`` command (see :mod:`typedllm.cli`)."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
