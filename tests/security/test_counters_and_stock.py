"""Number series, tags and stock: a rep's role writes them only the way the app does (issue 13)."""

from __future__ import annotations

from decimal import Decimal

import psycopg
import pytest
from sqlalchemy.exc import ProgrammingError

from app.models.enums import PaymentMethod
from app.services.documents import numbering
from app.services.documents.lines import LineDraft
from app.services.documents.quotes import QuoteDraft
from app.services.documents.receipts import ReceiptDraft
from app.services.documents.returns import ReturnDraft, ReturnLineDraft
from tests.security.attack_office import DAY, STOCK


def _stock(attacked) -> int:
    return attacked.as_owner("SELECT on_hand FROM products WHERE id = %s", (attacked.mine["product"],))[0][0]


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE number_series SET last_number = 0",  # every later invoice: a duplicate number
        "UPDATE number_series SET last_number = last_number + 1000",  # a gap in the legal numbering
        "DELETE FROM number_series",
        "INSERT INTO number_series (series, fiscal_year, last_number) VALUES ('invoice', 1406, 500)",
    ],
)
def test_a_rep_cannot_write_the_number_series(attacked, attack: str) -> None:
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(attack)
    assert attacked.as_owner("SELECT series, last_number FROM number_series") == [("invoice", 1)]


def test_a_rep_cannot_skip_numbers_through_the_server_function(attacked) -> None:
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("SELECT * FROM peyvand_take_numbers('invoice', 1405, 1000, NULL)")
    assert attacked.as_owner("SELECT series, last_number FROM number_series") == [("invoice", 1)]


def test_a_rep_cannot_number_a_document_without_the_counter(attacked) -> None:
    """An invoice numbered by hand: the counter stays behind, and the office's next invoice would take
    a number already used."""
    draft = attacked.draft_invoice().id
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE invoices SET number = 2, fiscal_year = 1405 WHERE id = %s", (draft,))
        with pytest.raises(psycopg.errors.CheckViolation):  # issued without a number at all
            conn.execute("UPDATE invoices SET state = 'issued' WHERE id = %s", (draft,))
    assert attacked.as_owner("SELECT number, state FROM invoices WHERE id = %s", (draft,)) == [(None, "draft")]


def test_issuing_on_a_reps_own_role_stays_gapless_and_moves_stock(attacked) -> None:
    """The rep's invoices take their numbers through the server's function and the server moves
    their stock; a transaction that fails after numbering gives its number back."""
    second = attacked.draft_invoice(quantity=2)
    with pytest.raises(ProgrammingError, match="permission denied"), attacked.as_maryam.db.write(attacked.maryam) as s:
        assert numbering.next_number(s, numbering.INVOICE, 1405) == 2
        s.connection().exec_driver_sql("UPDATE number_series SET last_number = 0")  # fails: all rolled back
    issued = attacked.as_maryam.invoices.issue(attacked.maryam, second.id)
    assert issued.number == 2
    assert attacked.as_owner("SELECT last_number FROM number_series WHERE series = 'invoice'") == [(2,)]
    assert _stock(attacked) == STOCK - 3  # 1 then 2 taken


def test_a_reps_quotes_receipts_and_returns_take_their_numbers_and_restock(attacked) -> None:
    """Every series a rep numbers on her own role passes the counter's COMMIT check; a return brings
    its goods back through the server's trigger."""
    services, maryam, mine = attacked.as_maryam, attacked.maryam, attacked.mine
    line = LineDraft("", Decimal(1), 1_000_000, 0, None, mine["product"])
    assert services.quotes.create(maryam, QuoteDraft(mine["identity"], DAY, [line])).number == 1
    receipt = ReceiptDraft(mine["identity"], 1_000_000, DAY, PaymentMethod.CASH)
    assert services.receipts.create(maryam, receipt).number == 1
    sold = services.invoices.get(maryam, mine["invoice"]).lines[0]
    draft = services.returns.create(maryam, ReturnDraft(mine["invoice"], DAY, [ReturnLineDraft(sold.id, Decimal(1))]))
    assert services.returns.issue(maryam, draft.id).number == 1
    assert _stock(attacked) == STOCK
    counters = attacked.as_owner("SELECT series, last_number FROM number_series ORDER BY series")
    assert counters == [("invoice", 1), ("quote", 1), ("receipt", 1), ("return", 1)]


def test_a_rep_cannot_change_stock_directly(attacked) -> None:
    product = attacked.mine["product"]
    with attacked.raw() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE products SET on_hand = 999 WHERE id = %s", (product,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE products SET on_hand = on_hand + 5, version = version + 1")
    assert _stock(attacked) == STOCK - 1


def test_a_rep_adds_tags_but_cannot_rename_or_remove_a_colleagues(attacked) -> None:
    tag, maryam = attacked.theirs["tag"], attacked.maryam.user_id
    add = (
        "INSERT INTO tags (id, name, name_key, created_at, updated_at, version, created_by)"
        " VALUES (gen_random_uuid(), %s, %s, now(), now(), 1, %s)"
    )
    with attacked.raw() as conn:
        conn.execute(add, ("مریم", "مریم", maryam))
        assert conn.execute("UPDATE tags SET name = 'x' WHERE id = %s", (tag,)).rowcount == 0
        assert conn.execute("DELETE FROM tags WHERE id = %s", (tag,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # not in a colleague's name
            conn.execute(add, ("جعلی", "جعلی", attacked.sara.user_id))
    assert sorted(attacked.as_owner("SELECT name FROM tags")) == [("مریم",), ("ویژه",)]
