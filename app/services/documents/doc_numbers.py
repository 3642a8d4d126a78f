"""How a quote's or an invoice's number reads, on screen and on paper.

A laptop's quote carries its device code («L3-12», never renumbered); the office's reads as before
(«12»). An invoice issued on a laptop has only its provisional number until the office gives the
legal one at sync (shared/design/sync.md §2.10): it always says so next to the number.
Texts are raw (Latin digits); `shown` gives what a screen shows.
"""

from __future__ import annotations

from app.persian import to_persian_digits

PROVISIONAL = "پیش‌شماره"
PROVISIONAL_NOTE = "شماره قطعی پس از همگام‌سازی"


def quote_number(number: int | None, device_code: str | None) -> str:
    """«L3-12» for a laptop's quote, «12» for the office's; "" without a number."""
    if not number:
        return ""
    return f"{device_code}-{number}" if device_code else str(number)


def provisional_label(provisional_number: str) -> str:
    """«پیش‌شماره P-L3-7 (شماره قطعی پس از همگام‌سازی)»."""
    return f"{PROVISIONAL} {provisional_number} ({PROVISIONAL_NOTE})"


def invoice_number(number: int | None, provisional_number: str | None) -> str:
    """The legal number («12»), else the provisional label of one issued on a laptop, else "" (a draft)."""
    if number:
        return str(number)
    return provisional_label(provisional_number) if provisional_number else ""


def shown(text: str) -> str:
    """Persian digits for a plain number; a code with Latin letters («L3-12») keeps its digits as typed."""
    return text if any("A" <= c <= "Z" or "a" <= c <= "z" for c in text) else to_persian_digits(text)
