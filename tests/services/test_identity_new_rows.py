"""The create form's ORM-free path (app.services.identities.new_rows) writes what the ORM path writes.

One story of creates (an administrator's routed and unrouted leads, a contact, a rep's own lead, a rep
refused another's owner, unsafe text, a duplicate warning, a tagged lead) is told on two copies of one
database: through the service as it is, and with every create sent down the ORM path. The identities,
their phones, e-mails and addresses, the history, the journal, the assignment log and pointers, the quick
search's index, the Changes published (the office's notifications) and the results compare equal, ids
read as their order of appearance in the journal and times left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from app.models import Category, IdentityKind, IdentityRole, PhoneKind
from app.services.core import changes as change_bus
from app.services.core.actor import SYSTEM
from app.services.core.errors import ServiceError
from app.services.core.registry import Services
from app.services.identities import new_rows
from app.services.identities.duplicates import DuplicatesFound
from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.services.identities.search_index import RID_MASK
from tests.conftest import copy_template, discard_copy
from tests.services import assignment_helpers

TABLES = ("identities", "identity_phones", "identity_emails", "identity_addresses", "identity_tags", "tags")
TABLES += ("audit_log", "assignment_log", "assignment_rules")
TIMES = frozenset({"created_at", "updated_at", "at", "edited_at"})
UUID_TEXT = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
TIME_TEXT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00)?|datetime\.datetime\([^)]*\)")


@pytest.fixture
def twin(empty_template, tmp_path: Path):
    """A second copy of the empty database, for the ORM path's telling."""
    (tmp_path / "orm").mkdir()
    database = copy_template(empty_template, tmp_path / "orm")
    yield Services(database)
    discard_copy(database)


def story(services: Services) -> tuple[assignment_helpers.Office, list]:
    """The creates, each outcome as data (the detail returned or the refusal) with the Changes published."""
    office = assignment_helpers.build(services)
    office.rule(city="تهران")
    with services.db.write(SYSTEM) as s:
        category = Category(name="مشتریان ویژه")
        s.add(category)
        s.flush()
        category_id = category.id
    people = [
        (office.admin, IdentityData(
            first_name="علی", last_name="کریمی", title="دکتر", national_code="0068415941",
            birth_date=dt.date(1980, 5, 1), source_id=office.fair, category_id=category_id, website="example.ir",
            phones=[PhoneData("09121234567"), PhoneData("021-8877 6655", PhoneKind.WORK)],
            emails=["Ali@Example.IR", "ali@work.ir"], description="مشتری قدیمی",
            addresses=[AddressData("تهران", "تهران", "ولیعصر", "1314567891"), AddressData(city="کرج")],
        )),
        (office.desk, IdentityData(last_name="بی‌قانون", addresses=[AddressData(city="شیراز")])),
        (office.admin, IdentityData(kind=IdentityKind.ORGANISATION, org_name="شرکت آلفا", legal_id="10380284790",
                                    role=IdentityRole.CONTACT, phones=[PhoneData("02144556677", PhoneKind.WORK)])),
        (office.ali, IdentityData(first_name="سارا", last_name="نوری", phones=[PhoneData("09351112233")],
                                  addresses=[AddressData(city="تهران")])),
        (office.ali, IdentityData(last_name="برای دیگری", owner_id=office.sara.user_id)),
        (office.ali, IdentityData(emails=["nameless@example.ir"])),
        (office.desk, IdentityData(last_name="نام\u202eوارونه", phones=[PhoneData("09120000001")])),
        (office.desk, IdentityData(last_name="تکراری", phones=[PhoneData("09121234567")])),
        (office.desk, IdentityData(last_name="برچسب‌دار", tags=["نمایشگاه"], addresses=[AddressData(city="تهران")])),
    ]  # fmt: skip
    outcomes = []
    for actor, data in people:
        with change_bus.collecting() as collected:
            try:
                outcome = services.identities.create(actor, data)
            except (ServiceError, DuplicatesFound) as exc:
                outcome = (type(exc).__name__, str(exc), getattr(exc, "errors", None), getattr(exc, "candidates", None))
        outcomes.append((outcome, collected.build()))
    return office, outcomes


class Labels:
    """Ids as their order of first appearance: the same story gives the same labels on both copies."""

    def __init__(self) -> None:
        self.seen: dict[uuid.UUID, str] = {}

    def of(self, value: uuid.UUID) -> str:
        return self.seen.setdefault(value, f"#{len(self.seen)}")

    def text(self, value: str) -> str:
        value = UUID_TEXT.sub(lambda m: self.of(uuid.UUID(m.group(0))), value)
        return TIME_TEXT.sub("<time>", value)

    def value(self, value):
        if isinstance(value, uuid.UUID):
            return self.of(value)
        if isinstance(value, dict | list):
            return self.text(json.dumps(value, ensure_ascii=False, sort_keys=True))
        if isinstance(value, str):
            return self.text(value)
        return repr(value)


def written(services: Services, outcomes: list) -> dict:
    """Every row of the compared tables, ids labelled in the journal's order, times left out."""
    labels = Labels()
    result: dict = {}
    with services.db.engine.connect() as conn:
        journal = conn.execute(text("SELECT * FROM change_log ORDER BY seq, ordinal")).mappings().all()
        result["change_log"] = [{k: labels.value(v) for k, v in row.items() if k not in TIMES} for row in journal]
        for table in TABLES:
            rows = conn.execute(text(f"SELECT * FROM {table}")).mappings().all()  # noqa: S608 (a fixed name)
            left_out = TIMES | {"id"} if table == "audit_log" else TIMES  # an entry's own id is random
            keep = [{k: labels.value(v) for k, v in row.items() if k not in left_out} for row in rows]
            result[table] = sorted(json.dumps(row, ensure_ascii=False, sort_keys=True) for row in keep)
        if services.db.is_sqlite:  # the quick search's own index, segment by segment
            result["fts"] = conn.execute(text("SELECT id, block FROM identity_search_data ORDER BY id")).all()
            hits = conn.execute(
                text(
                    f"SELECT i.id FROM identity_search s JOIN identities i ON i.rowid = s.rowid & {RID_MASK} "
                    "WHERE identity_search MATCH '\"0912\"' ORDER BY s.rowid"
                )  # fmt: skip
            ).scalars()
            result["fts_hits"] = [labels.value(uuid.UUID(h) if isinstance(h, str) else h) for h in hits]
    result["outcomes"] = [labels.text(repr(outcome)) for outcome in outcomes]
    return result


def test_the_fast_path_writes_what_the_orm_path_writes(services, twin, monkeypatch) -> None:
    inserted = []
    insert_identity = new_rows.insert_identity

    def spied(*args, **kwargs):
        inserted.append(args[1])
        return insert_identity(*args, **kwargs)

    monkeypatch.setattr(new_rows, "insert_identity", spied)
    office, fast = story(services)
    with monkeypatch.context() as orm_only:
        orm_only.setattr(new_rows, "covers", lambda _cleaned: False)
        _twin_office, orm = story(twin)

    fast_rows, orm_rows = written(services, fast), written(twin, orm)
    assert fast_rows.keys() == orm_rows.keys()
    for name in fast_rows:
        assert fast_rows[name] == orm_rows[name], name
    assert not services.db.is_sqlite or fast_rows["fts_hits"]  # the index finds the story's mobiles
    # The story did what it says: routed leads, a refusal of another's owner, unsafe text, a duplicate.
    results = [type(o).__name__ if not isinstance(o, tuple) else o[0] for o, _changes in fast]
    assert results == ["IdentityDetail"] * 4 + ["AccessDenied", "IdentityDetail", "ValidationFailed"] + [
        "DuplicatesFound",
        "IdentityDetail",
    ]
    assert len(inserted) == 7  # every create but the duplicate and the tagged one went the fast way
    team = {office.ali.user_id, office.sara.user_id, office.reza.user_id}
    assert fast[0][0].owner_id in team and fast[8][0].owner_id in team  # routed, the fast way and the ORM's
    assert fast[1][0].owner_id == office.desk.user_id  # Shiraz: no rule
