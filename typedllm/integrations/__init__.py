"""Integrations with data tools, each behind an optional extra (nothing here is imported by
``import typedllm``).

* :mod:`typedllm.integrations.otel`: OpenTelemetry spans and metrics of every call, following
  the GenAI semantic conventions (``pip install 'typedllm[otel]'``; a no-op without it).
* :mod:`typedllm.integrations.ray`: typed extraction as a Ray Data ``map_batches`` step
  (``pip install 'typedllm[ray]'``).
"""

from __future__ import annotations

__all__: list[str] = []
