"""Contracts attacked from a rep's own role the way psql would: a colleague's contract, its instalments
and the receipts paying them are out of sight; a signed contract changes only in its end date; its
number comes from the «contract» series (issue 19)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import psycopg
import pytest

from app.models.enums import PaymentMethod
from app.services.documents.contract_payments import InstalmentShare
from app.services.documents.contract_views import ContractDraft, split_schedule
from app.services.documents.lines import LineDraft
from app.services.documents.receipts import ReceiptDraft
from tests.security.attack_office import DAY

END = DAY + dt.timedelta(days=364)


def _contract(services, actor, identity, sign: bool = True):
    lines = [LineDraft("پشتیبانی", Decimal(1), 3_000_000, 0, 0)]
    draft = services.contracts.create(
        actor, ContractDraft(identity, DAY, DAY, END, lines, split_schedule(3_000_000, DAY, 3))
    )
    return services.contracts.sign(actor, draft.id, draft.version) if sign else draft


def test_a_rep_sees_nothing_of_a_colleagues_contract(attacked) -> None:
    owner = attacked.office.owner
    theirs = _contract(owner, attacked.sara, attacked.theirs["identity"])
    share = InstalmentShare(theirs.instalments[0].id, 1_000_000)
    owner.receipts.create(
        attacked.sara,
        ReceiptDraft(attacked.theirs["identity"], 1_000_000, DAY, PaymentMethod.CASH, instalments=[share]),
    )
    with attacked.raw() as conn:
        for table in ("contracts", "contract_lines", "contract_instalments", "instalment_allocations"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        assert conn.execute("UPDATE contracts SET end_date = start_date WHERE id = %s", (theirs.id,)).rowcount == 0
        assert conn.execute("DELETE FROM contract_instalments").rowcount == 0


def test_a_signed_contract_changes_only_in_its_end_date(attacked) -> None:
    mine = _contract(attacked.as_maryam, attacked.maryam, attacked.mine["identity"])
    with attacked.raw() as conn:
        for attack in (
            "UPDATE contracts SET total = 1 WHERE id = %s",
            "UPDATE contracts SET state = 'draft' WHERE id = %s",
            "UPDATE contract_instalments SET amount = 1 WHERE contract_id = %s",
            "DELETE FROM contract_lines WHERE contract_id = %s",
            "INSERT INTO contract_instalments (id, contract_id, position, due_date, amount, created_at, updated_at,"
            " version) VALUES (gen_random_uuid(), %s, 9, '2026-12-01', 5, now(), now(), 1)",
        ):
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(attack, (mine.id,))
        conn.execute("UPDATE contracts SET end_date = start_date WHERE id = %s", (mine.id,))  # cancelling
    assert attacked.as_owner("SELECT total, end_date FROM contracts WHERE id = %s", (mine.id,)) == [(3_000_000, DAY)]


def test_contract_numbers_come_from_their_own_series_on_a_reps_role(attacked) -> None:
    first = _contract(attacked.as_maryam, attacked.maryam, attacked.mine["identity"])
    second = _contract(attacked.as_maryam, attacked.maryam, attacked.mine["identity"])
    assert (first.number, second.number) == (1, 2)
    series = attacked.as_owner("SELECT series, last_number FROM number_series ORDER BY series")
    assert series == [("contract", 2), ("invoice", 1)]
    draft = _contract(attacked.as_maryam, attacked.maryam, attacked.mine["identity"], sign=False)
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):  # numbered by hand: the counter stays behind
            conn.execute("UPDATE contracts SET number = 3, fiscal_year = 1405 WHERE id = %s", (draft.id,))
        with pytest.raises(psycopg.errors.CheckViolation):  # signed without a number
            conn.execute("UPDATE contracts SET state = 'issued' WHERE id = %s", (draft.id,))
