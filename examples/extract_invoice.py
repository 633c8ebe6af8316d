"""Structured extraction: turn an invoice email into a typed, validated ``Invoice``.

Runs against the real OpenAI API when ``OPENAI_API_KEY`` is set, and offline on typedllm's
embedded fake provider otherwise (the fake answers with schema-valid data generated from the
request's own JSON schema, so the whole pipeline -- schema, request, validation -- is exercised).

    python examples/extract_invoice.py
"""

from __future__ import annotations

import os
from datetime import date
from enum import Enum

from pydantic import BaseModel, Field

import typedllm as tl
from typedllm.testing import FakeProvider


class Currency(str, Enum):
    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"


class LineItem(BaseModel):
    description: str
    quantity: int = Field(ge=1)
    unit_price: float = Field(ge=0)


class Invoice(BaseModel):
    invoice_number: str
    customer: str
    issued_on: date
    currency: Currency
    items: list[LineItem]
    notes: str | None = None

    @property
    def total(self) -> float:
        return sum(item.quantity * item.unit_price for item in self.items)


EMAIL = """\
Hello accounts team,
please find invoice INV-2024-0042 for ACME GmbH, issued 2024-03-14.
- 3 x Widget at 19.99 EUR
- 1 x Installation at 150.00 EUR
Payment within 30 days.
"""


def make_client() -> tl.Client:
    builder = (
        tl.openai()
        .model("gpt-4o-mini")
        .temperature(0)
        .system("You extract invoices from emails. Use ISO dates.")
    )
    if os.environ.get("OPENAI_API_KEY"):
        return builder.build()
    print("OPENAI_API_KEY is not set: running offline on the embedded fake provider.\n")
    return builder.api_key("offline").transport(FakeProvider()).build()


def main() -> None:
    with make_client() as llm:
        record = llm.completion(EMAIL, schema=Invoice)
    invoice: Invoice = record.output
    print(invoice.model_dump_json(indent=2))
    print(f"\ntotal: {invoice.total:.2f} {invoice.currency.value}")
    print(
        f"model: {record.model}, tokens: {record.usage.input_tokens} in / "
        f"{record.usage.output_tokens} out, attempts: {len(record.attempts)}"
    )


if __name__ == "__main__":
    main()
