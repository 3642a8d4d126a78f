"""Which field conflicts a person decides (sync.md §2.7): money, pipeline position, ownership and every
document field never resolve silently; ordinary fields (names, phones, addresses, notes) go to the later
edit by its edit time, the loser kept in the conflicts."""

from __future__ import annotations

from sqlalchemy import BigInteger, Table

from app.services.core.access import OWNED

# Stamped by the office itself on every write (the laptop's copy would say when it arrived, not who).
NOT_PUSHED = frozenset({"version", "updated_at", "updated_by"})
DOCUMENT_TABLES = frozenset(
    {
        "quotes",
        "quote_lines",
        "invoices",
        "invoice_lines",
        "sales_returns",
        "sales_return_lines",
        "receipts",
        "receipt_allocations",
        "contracts",
        "contract_lines",
        "contract_instalments",
        "instalment_allocations",
    }
)
MANUAL_FIELDS = {
    "opportunities": frozenset(
        {"pipeline_id", "stage_id", "status", "probability", "closed_on", "close_reason_id", "lost_to_id"}
    ),
    "identities": frozenset({"role", "kind"}),
    "activities": frozenset({"state"}),
}
_OWNER_COLUMNS = {cls.__tablename__: cls.__table__.c[cls.__owner_attr__].name for cls in OWNED}


def manual(table: Table, field: str) -> bool:
    """True when two different values of this field go to a person."""
    if table.name in DOCUMENT_TABLES or field == "deleted_at":
        return True
    if field == _OWNER_COLUMNS.get(table.name) or field in MANUAL_FIELDS.get(table.name, ()):
        return True
    column = table.c.get(field)
    return column is not None and isinstance(column.type, BigInteger)  # Rials
