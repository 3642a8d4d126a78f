"""The advanced search «جستجوی پیشرفته»: conditions on any identity field combined with AND/OR,
and group-by counts (city, category, source, owner, role, Jalali month of creation ...).

A query is plain data (AdvancedQuery of Conditions), so it can be saved as a favourite (SavedSearch
stores `to_dict()`), sent through IdentityQuery.advanced to the list, the export and the counts. A date
condition holds fixed days or a relative Jalali period («این ماه»), saved by name and turned into days
each time the query runs, so a favourite stays true next month.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Category,
    Identity,
    IdentityAddress,
    IdentityEmail,
    IdentityKind,
    IdentityPhone,
    IdentityRole,
    Source,
    User,
    identity_tags,
)
from app.persian import normalize_text, search_key, to_ascii_digits
from app.persian.jalali import MONTH_NAMES
from app.services.activities.cardboard import local_day_bounds_utc
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.labels import KIND, ROLE
from app.services.core.periods import DateFilter, PeriodKind

TEXT, CODE, CHOICE, DATE = "text", "code", "choice", "date"
OPERATORS = {
    "contains": "شامل",
    "equals": "برابر",
    "empty": "خالی",
    "not_empty": "خالی نباشد",
    "between": "در",  # a period («این ماه») or «بازه دلخواه» from … to …
}
OPS_BY_TYPE = {
    TEXT: ("contains", "equals", "empty", "not_empty"),
    CODE: ("contains", "equals", "empty", "not_empty"),
    CHOICE: ("equals", "empty", "not_empty"),
    DATE: ("between", "empty", "not_empty"),
}


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str  # TEXT, CODE, CHOICE or DATE

    @property
    def operators(self) -> tuple[str, ...]:
        return OPS_BY_TYPE[self.type]


FIELDS: dict[str, FieldSpec] = {
    spec.key: spec
    for spec in (
        FieldSpec("name", "نام", TEXT),
        FieldSpec("first_name", "نام کوچک", TEXT),
        FieldSpec("last_name", "نام خانوادگی", TEXT),
        FieldSpec("org_name", "نام سازمان", TEXT),
        FieldSpec("kind", "نوع", CHOICE),
        FieldSpec("role", "نقش", CHOICE),
        FieldSpec("phone", "تلفن", CODE),
        FieldSpec("email", "ایمیل", TEXT),
        FieldSpec("national_code", "کد ملی", CODE),
        FieldSpec("legal_id", "شناسه ملی", CODE),
        FieldSpec("economic_code", "کد اقتصادی", CODE),
        FieldSpec("registration_no", "شماره ثبت", CODE),
        FieldSpec("province", "استان", TEXT),
        FieldSpec("city", "شهر", TEXT),
        FieldSpec("street", "نشانی", TEXT),
        FieldSpec("postal_code", "کد پستی", CODE),
        FieldSpec("website", "وب‌سایت", TEXT),
        FieldSpec("description", "توضیحات", TEXT),
        FieldSpec("category", "دسته‌بندی", CHOICE),
        FieldSpec("source", "منبع", CHOICE),
        FieldSpec("owner", "مسئول", CHOICE),
        FieldSpec("tag", "برچسب", CHOICE),
        FieldSpec("created_at", "تاریخ ایجاد", DATE),
        FieldSpec("updated_at", "تاریخ آخرین تغییر", DATE),
        FieldSpec("birth_date", "تاریخ تولد", DATE),
    )
}
GROUPS = {
    "city": "شهر",
    "category": "دسته‌بندی",
    "source": "منبع",
    "owner": "مسئول",
    "role": "نقش",
    "kind": "نوع",
    "created_month": "ماه ایجاد",
}
NO_VALUE = "—"


@dataclass(frozen=True)
class Condition:
    field: str  # a key of FIELDS
    op: str  # a key of OPERATORS
    value: object = None  # text, a choice's id/value, the first date of "between" or its relative PeriodKind
    value2: object = None  # the last date of "between" (inclusive)


@dataclass(frozen=True)
class AdvancedQuery:
    conditions: tuple[Condition, ...] = ()
    match_all: bool = True  # AND; False: OR

    def to_dict(self) -> dict:
        def plain(v):
            if isinstance(v, PeriodKind):
                return {"period": v.value}  # by name: its days are computed when the search runs
            if isinstance(v, dt.date):
                return {"date": v.isoformat()}
            if isinstance(v, uuid.UUID | IdentityRole | IdentityKind):
                return str(v.value if hasattr(v, "value") else v)
            return v

        return {
            "match_all": self.match_all,
            "conditions": [
                {"field": c.field, "op": c.op, "value": plain(c.value), "value2": plain(c.value2)}
                for c in self.conditions
            ],
        }

    @classmethod
    def from_dict(cls, data: dict) -> AdvancedQuery:
        def back(v):
            if isinstance(v, dict) and "date" in v:
                return dt.date.fromisoformat(v["date"])
            if isinstance(v, dict) and "period" in v:
                return PeriodKind(v["period"])
            return v

        return cls(
            tuple(
                Condition(c["field"], c["op"], back(c.get("value")), back(c.get("value2"))) for c in data["conditions"]
            ),
            bool(data.get("match_all", True)),
        )


@dataclass(frozen=True)
class GroupCount:
    key: object  # the group's value (id, enum value, city text, "1404-09" ...) or None
    label: str  # Persian
    count: int


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _text_match(column, op: str, value) -> ColumnElement[bool]:
    if op == "empty":
        return or_(column.is_(None), column == "")
    if op == "not_empty":
        return and_(column.is_not(None), column != "")
    key = normalize_text(str(value or "")).lower()
    folded = func.lower(column)
    return folded.contains(key, autoescape=True) if op == "contains" else folded == key


def _code_match(column, op: str, value) -> ColumnElement[bool]:
    if op in ("empty", "not_empty"):
        return _text_match(column, op, value)
    digits = to_ascii_digits(str(value or "")).strip()
    return column.contains(digits, autoescape=True) if op == "contains" else column == digits


def _child(model, column, op: str, value, code: bool = False) -> ColumnElement[bool]:
    live_child = and_(model.identity_id == Identity.id, model.deleted_at.is_(None))
    if op == "empty":
        return ~exists().where(live_child, column.is_not(None), column != "")
    if op == "not_empty":
        return exists().where(live_child, column.is_not(None), column != "")
    match = _code_match(column, op, value) if code else _text_match(column, op, value)
    return exists().where(live_child, match)


def _dates(column, cond: Condition, is_datetime: bool) -> ColumnElement[bool]:
    if cond.op == "empty":
        return column.is_(None)
    if cond.op == "not_empty":
        return column.is_not(None)
    if isinstance(cond.value, PeriodKind):
        first, last = DateFilter(cond.value).bounds()  # this period today; «بازه دلخواه» without days: none
    else:
        first, last = cond.value, cond.value2
    parts = []
    if is_datetime:
        if first is not None:
            parts.append(column >= local_day_bounds_utc(first)[0])
        if last is not None:
            parts.append(column < local_day_bounds_utc(last)[1])
    else:
        if first is not None:
            parts.append(column >= first)
        if last is not None:
            parts.append(column <= last)
    return and_(*parts) if parts else column.is_not(None)


def _choice(s: Session, cond: Condition) -> ColumnElement[bool]:
    column = {
        "kind": Identity.kind,
        "role": Identity.role,
        "category": Identity.category_id,
        "source": Identity.source_id,
        "owner": Identity.owner_id,
    }.get(cond.field)
    if cond.field == "tag":
        tagged = exists().where(identity_tags.c.identity_id == Identity.id)
        if cond.op == "empty":
            return ~tagged
        if cond.op == "not_empty":
            return tagged
        return exists().where(identity_tags.c.identity_id == Identity.id, identity_tags.c.tag_id == _uuid(cond.value))
    if cond.op == "empty":
        return column.is_(None)
    if cond.op == "not_empty":
        return column.is_not(None)
    if cond.field == "role":
        return column == IdentityRole(cond.value)
    if cond.field == "kind":
        return column == IdentityKind(cond.value)
    if cond.field == "category":
        from app.services.identities.service import category_with_descendants

        return column.in_(category_with_descendants(s, _uuid(cond.value)))
    return column == _uuid(cond.value)


def _one(s: Session, cond: Condition) -> ColumnElement[bool]:
    spec = FIELDS.get(cond.field)
    if spec is None or cond.op not in spec.operators:
        raise ValidationFailed({"conditions": f"شرط «{cond.field} {cond.op}» پشتیبانی نمی‌شود"})
    f, op, v = cond.field, cond.op, cond.value
    if spec.type == CHOICE:
        if op == "equals" and v in (None, ""):
            raise ValidationFailed({"conditions": f"برای «{spec.label}» مقداری انتخاب نشده است"})
        return _choice(s, cond)
    if spec.type == DATE:
        column = {"created_at": Identity.created_at, "updated_at": Identity.updated_at}.get(f, Identity.birth_date)
        return _dates(column, cond, is_datetime=f != "birth_date")
    if f == "name":
        if op in ("empty", "not_empty"):
            return _text_match(Identity.name_key, op, v)
        key = search_key(str(v or ""))
        return Identity.name_key.contains(key, autoescape=True) if op == "contains" else Identity.name_key == key
    if f == "phone":
        return _child(IdentityPhone, IdentityPhone.number_key, op, v, code=True)
    if f == "email":
        return _child(IdentityEmail, IdentityEmail.email_key, op, v)
    if f in ("province", "city", "street"):
        return _child(IdentityAddress, getattr(IdentityAddress, f), op, v)
    if f == "postal_code":
        return _child(IdentityAddress, IdentityAddress.postal_code, op, v, code=True)
    column = getattr(Identity, f)
    return _code_match(column, op, v) if spec.type == CODE else _text_match(column, op, v)


def condition_of(s: Session, query: AdvancedQuery) -> ColumnElement[bool] | None:
    """The query's SQL condition on Identity; None when it has no conditions."""
    parts = [_one(s, c) for c in query.conditions]
    if not parts:
        return None
    return and_(*parts) if query.match_all else or_(*parts)


def _month_label(key: str) -> str:
    from app.persian import to_persian_digits

    year, month = key.split("-")
    return f"{MONTH_NAMES[int(month) - 1]} {to_persian_digits(year)}"


class AdvancedSearchService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def group_counts(self, actor: Actor, query, by: str) -> list[GroupCount]:
        """How many identities of the query (an IdentityQuery) fall in each group of `by` (a key of
        GROUPS), largest first. Anyone, over what they may see; raises ValidationFailed. Reads."""
        from app.services.identities.service import filters

        if by not in GROUPS:
            raise ValidationFailed({"group_by": "گروه‌بندی نامعتبر است"})
        dialect = self._db.engine.dialect.name
        with self._db.read(actor) as s:
            where = and_(*filters(s, query, dialect))
            if by == "created_month":
                return self._by_month(s, where, dialect)
            key, label = {
                "city": (Identity.primary_city, Identity.primary_city),
                "role": (Identity.role, Identity.role),
                "kind": (Identity.kind, Identity.kind),
                "category": (Identity.category_id, Category.name),
                "source": (Identity.source_id, Source.name),
                "owner": (Identity.owner_id, User.display_name),
            }[by]
            stmt = select(key, label, func.count()).select_from(Identity)
            if by == "category":
                stmt = stmt.outerjoin(Category, Category.id == Identity.category_id)
            elif by == "source":
                stmt = stmt.outerjoin(Source, Source.id == Identity.source_id)
            elif by == "owner":
                stmt = stmt.outerjoin(User, User.id == Identity.owner_id)
            stmt = stmt.where(where).group_by(key, label).order_by(func.count().desc())
            result = []
            for value, name, count in s.execute(stmt):
                if by == "role" and value is not None:
                    name = ROLE[value]
                elif by == "kind" and value is not None:
                    name = KIND[value]
                result.append(GroupCount(value, name or NO_VALUE, count))
            return result

    @staticmethod
    def _by_month(s: Session, where, dialect: str) -> list[GroupCount]:
        import jdatetime

        # Iran has kept UTC+3:30 all year since 2022: the local day of a UTC instant.
        if dialect == "sqlite":
            day = func.date(Identity.created_at, "+210 minutes")
        else:
            day = func.date(func.timezone("Asia/Tehran", Identity.created_at))
        counts: dict[str, int] = {}
        for value, count in s.execute(select(day, func.count()).where(where).group_by(day)):
            d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            j = jdatetime.date.fromgregorian(date=d)
            key = f"{j.year:04d}-{j.month:02d}"
            counts[key] = counts.get(key, 0) + count
        return [GroupCount(k, _month_label(k), counts[k]) for k in sorted(counts, reverse=True)]
