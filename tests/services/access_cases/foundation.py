"""Access cases of the foundation's services: lists, cardboard, history, recycle bin, settings."""

from __future__ import annotations

from app.services.admin.settings import CompanyInfo
from app.services.identities.service import IdentityQuery
from app.services.opportunities.queries import OpportunityQuery


def _ids(rows) -> set:
    return {r.id for r in rows}


def _cardboard_ids(world, actor) -> set:
    board = world.services.cardboard.load(actor)
    return _ids(board.overdue.rows + board.today.rows + board.next_7_days.rows)


def _restore_b(world, actor) -> bool:
    world.services.identities.soft_delete(world.admin, world.records["identity_b"])
    world.services.recycle_bin.restore(actor, "identities", world.records["identity_b"])
    return True


CASES = {
    "identities.search": lambda w, a: w.records["identity_b"] in _ids(w.services.identities.search(a, IdentityQuery())),
    "identities.page": lambda w, a: w.records["identity_b"] in _ids(w.services.identities.page(a, IdentityQuery()).rows),
    "identities.count": lambda w, a: w.services.identities.count(a, IdentityQuery(text="مشتری b")) == 1,
    "identities.soft_delete": lambda w, a: w.services.identities.soft_delete(a, w.records["identity_b"]) is None,
    "opportunities.search": lambda w, a: (
        w.records["opportunity_b"] in _ids(w.services.opportunities.search(a, OpportunityQuery()))
    ),
    "opportunities.count": lambda w, a: w.services.opportunities.count(a, OpportunityQuery(text="فرصت b")) == 1,
    "cardboard.load": lambda w, a: w.records["activity_b"] in _cardboard_ids(w, a),
    "history.record_history": lambda w, a: bool(
        w.services.history.record_history(a, "identities", w.records["identity_b"])
    ),
    "history.changes": lambda w, a: bool(w.services.history.changes(a)),
    "recycle_bin.deleted": lambda w, a: isinstance(w.services.recycle_bin.deleted(a), list),
    "recycle_bin.restore": lambda w, a: _restore_b(w, a),
    "settings.save_company": lambda w, a: w.services.settings.save_company(a, CompanyInfo(name="شرکت")) is not None,
    "settings.set_money_unit": lambda w, a: (
        w.services.settings.set_money_unit(a, w.services.settings.money_unit()) is None
    ),
}
NOT_RECORD_SCOPED = {"settings.company", "settings.is_first_run", "settings.money_unit", "users.ensure_admin"}
ADMIN_ONLY = {
    "history.changes",
    "recycle_bin.deleted",
    "recycle_bin.restore",
    "settings.save_company",
    "settings.set_money_unit",
}
PERSONAL = {"cardboard.load"}
