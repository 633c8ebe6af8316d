"""Rejected: misuse of the error hierarchy (one misuse per line)."""

from __future__ import annotations

import typedllm as tl


def handle(
    rate: tl.RateLimitError,
    invalid: tl.OutputValidationError,
    refusal: tl.RefusalError,
    timeout: tl.APITimeoutError,
) -> None:
    _raw: str = invalid.raw_text  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _errors: tuple[object, ...] = invalid.errors  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    invalid.refusal  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
    invalid.status_code  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
    rate.raw_text  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
    _as_output: tl.OutputError = rate  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _as_status: tl.APIStatusError = timeout  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _as_validation: tl.OutputValidationError = refusal  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _status: str = rate.status_code  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _request_id: str = rate.request_id  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]


_timeout_as_status: type[tl.APIStatusError] = tl.APITimeoutError  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_config_as_transport: type[tl.TransportError] = tl.ConfigurationError  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
_status_as_output: type[tl.OutputError] = tl.RateLimitError  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
