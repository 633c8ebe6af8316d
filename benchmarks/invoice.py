"""The Invoice every benchmark extracts (one definition, so the figures compare the same work)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

__all__ = ["PROMPT", "Invoice", "LineItem"]

PROMPT = "Invoice INV-42 for ACME, 2024-03-14: 3 x Widget at 19.99, 1 x Setup at 150."


class LineItem(BaseModel):
    description: str
    quantity: int
    unit_price: float


class Invoice(BaseModel):
    invoice_number: str
    customer: str
    issued_on: date
    items: list[LineItem]
    notes: str | None = None
