"""What of a laptop's journal entry goes to the office: the laptop's own bookkeeping stays (a login's
marks on the user's row: the office's users are its administrators' to change; the journal's notes),
and so does what the office derives itself (app.services.sync.documents.should_push: stock an issued
invoice moved). A transaction with nothing left to send is no batch at all."""

from __future__ import annotations

from app.services.sync import tables

# A laptop's own: the office keeps its own count of its users' logins and their passwords.
LOCAL_FIELDS = {
    "users": frozenset({"failed_logins", "locked_until", "last_login_at", "password_hash", "must_change_password"})
}
STAMPS = frozenset({"version", "updated_at", "updated_by"})  # moved by any write: alone, they say nothing


def pushed(table: str, op: str, fields: dict) -> dict | None:
    """The entry's fields to send, or None when nothing of it goes to the office."""
    from app.services.sync.documents import should_push  # documents' rules, imported when first needed

    if not tables.is_synced(table):
        return None
    fields = {k: v for k, v in fields.items() if not k.startswith("_")}  # the journal's notes stay here
    if op == "update":
        local = LOCAL_FIELDS.get(table, frozenset())
        fields = should_push(table, {k: v for k, v in fields.items() if k not in local})
        if not fields.keys() - STAMPS:
            return None
    return fields
