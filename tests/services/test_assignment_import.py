"""Lead assignment on import: the same rules, the whole file in one batch (no query per row)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from app.models import Identity
from app.services.core.actor import SYSTEM
from app.services.identities.table import ImportTable
from tests.services import assignment_helpers

MAPPING = {0: "last_name", 1: "city", 2: "source", 3: "owner"}


@pytest.fixture
def office(services):
    return assignment_helpers.build(services)


def _import(office, rows: list[list[str]], actor=None):
    table = ImportTable(["نام خانوادگی", "شهر", "منبع", "مسئول"], rows)
    return office.services.identity_import.run(actor or office.admin, table, MAPPING, "create")


def _owner_counts(office) -> dict[str, int]:
    with office.services.db.read(SYSTEM) as s:
        from app.models import User

        rows = s.execute(
            select(User.login, func.count()).join(Identity, Identity.owner_id == User.id).group_by(User.login)
        ).all()
    return dict(rows)


def test_imported_rows_without_an_owner_go_round_robin_by_the_rules(office) -> None:
    office.rule(name="نمایشگاه", source_id=office.fair, member_ids=(office.sara.user_id, office.reza.user_id))
    rows = [["رحیمی", "تهران", "نمایشگاه", ""], ["زمانی", "تهران", "نمایشگاه", ""], ["سلیمی", "تهران", "", ""]]
    rows += [["شریفی", "تهران", "نمایشگاه", "desk"], ["صادقی", "کرج", "نمایشگاه", ""]]
    result = _import(office, rows)
    assert result.created == 5
    assert _owner_counts(office) == {"sara": 2, "reza": 1, "admin": 1, "desk": 1}
    log = office.services.assignment_rules.log(office.admin)
    assert [(r.user_name, r.via, r.assigned_by) for r in reversed(log)] == [
        ("sara", "import", "مدیر سیستم"),
        ("reza", "import", "مدیر سیستم"),
        ("sara", "import", "مدیر سیستم"),
    ]
    with office.services.db.read(SYSTEM) as s:
        second = s.scalar(select(Identity.id).where(Identity.last_name == "زمانی"))
    history = office.services.history.record_history(office.admin, "identities", second)
    assert [h.action for h in history][-1] == "create" and "assign" in [h.action for h in history]


def test_an_own_documents_importer_keeps_what_they_import(office) -> None:
    office.rule()
    assert _import(office, [["رحیمی", "تهران", "", ""]], actor=office.ali).created == 1
    assert _owner_counts(office) == {"ali": 1}
    assert office.services.assignment_rules.log(office.admin) == []


def test_routing_an_import_costs_the_same_queries_for_30_or_300_rows(office) -> None:
    office.rule(cap=400, member_ids=(office.ali.user_id, office.sara.user_id, office.reza.user_id))
    engine = office.services.db.engine
    counts = []
    for size in (30, 300):
        statements: list[str] = []
        listener = lambda *args, seen=statements: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            rows = [[f"نام {size} {n}", "تهران", "", ""] for n in range(size)]
            assert _import(office, rows).created == size
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert _owner_counts(office) == {"ali": 110, "sara": 110, "reza": 110}
