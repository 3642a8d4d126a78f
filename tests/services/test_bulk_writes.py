"""Writes that bypass the ORM's flush must still reach history, Changes and the change journal.

Plain INSERT / UPDATE / DELETE statements run through a session are noted by app.services.core.capture
(ids from their parameters, or their WHERE read first); raw SQL text on a business table is refused. A
statement on a connection (`s.connection().execute`, `exec_driver_sql`) is seen by neither, so every
bulk statement in app/services is listed here, reviewed: a new one fails this test until it is checked
that it goes through a session or notes its rows itself (`capture.note_inserts`), and added.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from app.models import Base, BusinessMixin
from app.services.core import capture

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"
# Models and tables whose rows are not business records (bookkeeping, per-user state, search index).
NOT_BUSINESS = {
    "RecentRecord", "Setting", "AuditEntry", "ChangeLogEntry", "ChangeClock", "NumberSeries", "settings",
    "AssignmentLogEntry",  # the assignment log: a record of changes, like the history
}  # fmt: skip
# file -> bulk statements reviewed (through a session, so noted by capture; or noted by the caller).
REVIEWED = {
    "catalog/price_lists.py": 1,
    "documents/stock.py": 1,
    "activities/reminders.py": 2,
    "identities/merge.py": 4,
    "identities/import_batch.py": 2,  # notes its rows (capture.note_inserts) before either INSERT
    "identities/new_rows.py": 1,  # notes its rows (capture.note) and writes their history itself
    "demo/context.py": 2,
    "server/importer.py": 1,  # copies a whole database into a new server: the snapshot, not changes
    "server/import_users.py": 1,  # the copied users' temporary passwords, while copying (as above)
    "server/functions.py": 1,  # DDL blocks
    "core/journal.py": 1,  # the journal's own rows
    "admin/assignment.py": 1,  # a rule's turn, through the session (noted by capture)
    # Offline sync: its own bookkeeping (a laptop's state and outbox, an office in a SQLite file's device
    # registry and ledger) and the office's rows copied onto a laptop (the first copy, the pull): those
    # are the office's changes arriving, never the laptop's own to journal and send back.
    "sync/hub_calls.py": 4,
    "sync/outbox.py": 1,
    "sync/push.py": 2,
    "sync/state.py": 2,
    "sync/pull.py": 1,
    "sync/setup.py": 3,
}
_DML = {"insert", "update", "delete"}


def _bulk_statements(tree: ast.AST) -> int:
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy"
        for alias in node.names
        if alias.name in _DML
    }
    count = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in names and node.args:
            target = node.args[0]
            if not (isinstance(target, ast.Name) and target.id in NOT_BUSINESS):
                count += 1
        elif isinstance(func, ast.Attribute) and func.attr in _DML and not node.args and not node.keywords:
            count += 1  # table.insert() / table.delete()
        elif isinstance(func, ast.Attribute) and func.attr == "exec_driver_sql" and node.args:
            count += _driver_write(node.args[0])
    return count


def _driver_write(sql: ast.expr) -> int:
    """SQL text sent to the driver: a write of a business table, or one that cannot be read here."""
    if isinstance(sql, ast.Constant):
        match = capture._TEXT_WRITE.match(sql.value)
        return int(match is not None and match.group(1) in capture.business_tables())
    if isinstance(sql, ast.JoinedStr):  # an f-string: DDL, or a write of a table named at run time
        head = sql.values[0].value if sql.values and isinstance(sql.values[0], ast.Constant) else ""
        return int(re.match(r"\s*(INSERT|UPDATE|DELETE)\b", head, re.IGNORECASE) is not None)
    # A variable holding SQL made at run time; module constants (UPPER_CASE) are DDL, read in review.
    return int(isinstance(sql, ast.Name) and not sql.id.isupper())


def test_every_bulk_statement_on_business_tables_is_reviewed() -> None:
    found = Counter()
    for path in sorted(SERVICES.rglob("*.py")):
        count = _bulk_statements(ast.parse(path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(SERVICES).as_posix()] = count
    assert dict(found) == REVIEWED


def test_business_tables_are_the_business_models() -> None:
    tables = {m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, BusinessMixin)}
    assert capture.business_tables() == tables and {"identities", "invoices", "tags"} <= tables


@pytest.mark.parametrize(
    "sql", ["UPDATE identities SET description = 'x'", "DELETE FROM tags", "insert into opportunities (id) values (1)"]
)
def test_raw_sql_writing_a_business_table_is_refused_in_a_session(services, admin, sql) -> None:
    with pytest.raises(capture.UnrecordedWrite), services.db.write(admin) as s:
        s.execute(text(sql))
