"""`python -m app check` finds tampered legal documents (issue 13: after the attacks it said «مشکلی
پیدا نشد»). Tampering is done as the database itself allows its owner: raw SQL."""

from __future__ import annotations

import subprocess
import sys

from app.services.admin.maintenance import check_database
from tests.services.doc_helpers import issued_invoice, office


def _tamper(services, *statements: str) -> None:
    with services.db.engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_a_sound_office_has_no_problem(services) -> None:
    o = office(services)
    for _ in range(3):
        issued_invoice(o)
    assert check_database(services.db).problems == []


def test_changed_totals_a_gap_and_a_counter_set_back_are_each_reported(services) -> None:
    o = office(services)
    for _ in range(4):
        issued_invoice(o)
    _tamper(
        services,
        "UPDATE invoices SET total = total + 1 WHERE number = 2",
        "UPDATE invoices SET number = 9 WHERE number = 4",  # 4 missing, counter at 4 while 9 is used
        "UPDATE invoices SET number = NULL WHERE number = 3",
    )
    problems = check_database(services.db).problems
    assert "جمع ۱ «صورتحساب» صادرشده با ردیف‌هایش نمی‌خواند: ۲/۱۴۰۴." in problems
    assert "۱ «صورتحساب» صادرشده شماره ندارد." in problems
    assert "۶ شماره جاافتاده در «صورتحساب»های سال ۱۴۰۴ (از ۱ تا ۹)." in problems
    assert any(p.startswith("شمارنده «صورتحساب»های سال ۱۴۰۴ (۴) از آخرین شماره (۹) عقب است") for p in problems)


def test_a_counter_moved_ahead_and_a_duplicate_are_reported_by_the_command(services, isolated_home) -> None:
    o = office(services)
    for _ in range(2):
        issued_invoice(o)
    _tamper(
        services,
        "UPDATE number_series SET last_number = last_number + 1000 WHERE series = 'invoice'",
        "DELETE FROM invoice_lines WHERE invoice_id = (SELECT id FROM invoices WHERE number = 1)",
        "DROP INDEX ix_invoices_year_number",  # a damaged schema no longer refuses a duplicate
        "UPDATE invoices SET number = 1 WHERE number = 2",
    )
    url = services.db.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "app", "check", "--db", url],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "شمارنده «صورتحساب»های سال ۱۴۰۴ (۱٬۰۰۲) از آخرین شماره سند (۱) جلوتر است" in done.stdout
    assert "۱ شماره تکراری در «صورتحساب»های سال ۱۴۰۴." in done.stdout
    assert "جمع ۱ «صورتحساب» صادرشده با ردیف‌هایش نمی‌خواند: ۱/۱۴۰۴." in done.stdout
    assert "مشکلی پیدا نشد" not in done.stdout
