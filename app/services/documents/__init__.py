"""Printed documents: quote, invoice, return and receipt PDFs (service layer: data in, PDF bytes out).

    from app.services.documents import DocumentData, DocumentKind, render_pdf
    pdf: bytes = render_pdf(data)

`arithmetic` holds the integer-Rial line/total maths and the VAT table;
`model` the plain dataclasses the caller fills; the renderer uses no Qt and no
database.  The renderer (ReportLab, ~150 ms to import) loads on first use of
`render_pdf`, `write_pdf` or `TITLES`, so importing this package stays cheap.
"""

from typing import TYPE_CHECKING

from .arithmetic import (
    DEFAULT_VAT_ROWS,
    DEFAULT_VAT_TABLE,
    LineAmounts,
    LineInput,
    Totals,
    VatRate,
    VatTable,
    compute_line,
    compute_lines,
    compute_totals,
    default_vat_rate,
    gross_amount,
    vat_amount,
)
from .model import (
    Cheque,
    DocumentData,
    DocumentKind,
    DocumentLine,
    Party,
    PartyType,
    PaymentMethod,
    ReceiptInfo,
    Settlement,
)

if TYPE_CHECKING:
    from .render import TITLES, render_pdf, write_pdf

_LAZY = ("TITLES", "render_pdf", "write_pdf")


def __getattr__(name: str):
    if name in _LAZY:
        from . import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_VAT_ROWS",
    "DEFAULT_VAT_TABLE",
    "TITLES",
    "Cheque",
    "DocumentData",
    "DocumentKind",
    "DocumentLine",
    "LineAmounts",
    "LineInput",
    "Party",
    "PartyType",
    "PaymentMethod",
    "ReceiptInfo",
    "Settlement",
    "Totals",
    "VatRate",
    "VatTable",
    "compute_line",
    "compute_lines",
    "compute_totals",
    "default_vat_rate",
    "gross_amount",
    "render_pdf",
    "vat_amount",
    "write_pdf",
]
