"""``python -m typedllm.testing``: serve the fake provider on loopback (see ``_server.main``)."""

from __future__ import annotations

from ._server import main

raise SystemExit(main())
