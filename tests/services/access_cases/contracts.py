"""Access cases of contracts and their instalments, and of a record's «اسناد» tab that lists them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.models import Identity
from app.services.core.actor import SYSTEM
from app.services.documents.contract_views import ContractDraft, ContractQuery, split_schedule
from app.services.documents.lines import LineDraft

DAY = dt.date(2025, 11, 22)
END = DAY + dt.timedelta(days=364)


def _draft(w) -> ContractDraft:
    lines = [LineDraft("پشتیبانی", Decimal(1), 3_000_000, 0, 0)]
    r = w.records
    return ContractDraft(r["identity_b"], DAY, DAY, END, lines, split_schedule(3_000_000, DAY, 3), r["opportunity_b"])


def extend(world) -> None:
    sv, b, r = world.services, world.rep_b, world.records
    with sv.db.read(SYSTEM) as s:
        role = s.get(Identity, r["identity_b"]).role
    r["draft_contract_b"] = sv.contracts.create(b, _draft(world)).id
    r["contract_b"] = sv.contracts.sign(b, sv.contracts.create(b, _draft(world)).id).id
    with sv.db.write(SYSTEM) as s:  # signing made identity_b a customer; other areas expect its role
        s.get(Identity, r["identity_b"]).role = role


def _ids(rows) -> set:
    return {row.id for row in rows}


CASES = {
    "contracts.get": lambda w, a: w.services.contracts.get(a, w.records["contract_b"]) is not None,
    "contracts.search": lambda w, a: w.records["contract_b"] in _ids(w.services.contracts.search(a, ContractQuery())),
    "contracts.count": lambda w, a: (
        w.services.contracts.count(a, ContractQuery(identity_id=w.records["identity_b"])) > 0
    ),
    "contracts.from_opportunity": lambda w, a: (
        w.services.contracts.from_opportunity(a, w.records["opportunity_b"]) is not None
    ),
    "contracts.from_quote": lambda w, a: w.services.contracts.from_quote(a, w.records["accepted_quote_b"]) is not None,
    "contracts.create": lambda w, a: w.services.contracts.create(a, _draft(w)) is not None,
    "contracts.update": lambda w, a: (
        w.services.contracts.update(a, w.records["draft_contract_b"], _draft(w)) is not None
    ),
    "contracts.delete": lambda w, a: w.services.contracts.delete(a, w.records["draft_contract_b"]) is None,
    "contracts.sign": lambda w, a: w.services.contracts.sign(a, w.records["draft_contract_b"]).number is not None,
    "contracts.change_end_date": lambda w, a: (
        w.services.contracts.change_end_date(a, w.records["contract_b"], END - dt.timedelta(days=1)) is not None
    ),
    "instalments.open_instalments": lambda w, a: bool(
        w.services.instalments.open_instalments(a, w.records["identity_b"])
    ),
}
