"""Importing identities from CSV or XLSX: column mapping, preview, duplicates (skip, merge or create),
a Persian error report, progress and cancel.

The whole import is one write transaction: a cancel or a failure rolls everything back, so there
is never half an import. New identities go in with bulk Core INSERTs (10,000 rows in seconds), with
their derived columns and one «ایجاد» history entry each written here, since bulk inserts bypass
the ORM hooks; merges into existing identities go through the ORM like a form save.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Category,
    Identity,
    IdentityKind,
    IdentityRole,
    Source,
    Tag,
    User,
    new_id,
    utcnow,
)
from app.models.enums import PhoneKind
from app.persian import ValidationError, normalize_text, parse_date, search_key
from app.services.core.access import is_restricted
from app.services.core.actor import Actor
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.labels import ROLE
from app.services.identities import duplicates
from app.services.identities import records as identity_records
from app.services.identities.import_batch import NewIdentities
from app.services.identities.records import AddressData, IdentityData, PhoneData
from app.services.identities.table import IMPORT_FIELDS, ImportTable, guess_mapping, read_table

SKIP, MERGE, CREATE = "skip", "merge", "create"
ON_DUPLICATE = {SKIP: "رد کردن", MERGE: "ادغام با هویت موجود", CREATE: "ایجاد هویت جدید"}
REPORT_EVERY = 250

Progress = Callable[[int, int, str], None]


class ImportCancelled(ServiceError):
    def __init__(self) -> None:
        super().__init__("ورود اطلاعات لغو شد؛ هیچ هویتی اضافه نشد.")


@dataclass(frozen=True)
class RowError:
    row_number: int  # as the spreadsheet numbers it (the header is row 1)
    reason: str  # Persian


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    merged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # imported, but read differently from the file

    @property
    def failed(self) -> int:
        return len(self.errors)


@dataclass(frozen=True)
class PreviewRow:
    row_number: int
    values: dict[str, str]  # field -> text as mapped
    error: str | None
    duplicate_of: str | None  # the existing identity's name


_KIND_WORDS = {search_key(w): IdentityKind.ORGANISATION for w in ("سازمان", "شرکت", "حقوقی", "organisation", "company")}
_KIND_WORDS |= {search_key(w): IdentityKind.PERSON for w in ("شخص", "حقیقی", "person", "individual")}
_ROLE_WORDS = {search_key(label): role for role, label in ROLE.items()} | {r.value: r for r in IdentityRole}
_ROLE_WORDS |= {search_key("عدم کفایت"): IdentityRole.UNQUALIFIED, "customer": IdentityRole.CUSTOMER}


def _first_error(exc: ValidationFailed) -> str:
    from app.services.core.labels import FIELD

    names = {f: label for f, label in IMPORT_FIELDS.items()}
    parts = []
    for key, message in exc.errors.items():
        base = key.split(".")[0]
        label = {"phones": "تلفن", "emails": "ایمیل", "addresses": "نشانی"}.get(base) or names.get(base)
        label = label or FIELD.get(base, base)
        parts.append(f"{label}: {message}")
    return "؛ ".join(parts)


class _Lookups:
    """Names in the file → ids (categories, sources, users), created or refused once per name."""

    def __init__(self, s: Session, actor: Actor) -> None:
        self._s, self._actor = s, actor
        self.categories = {
            search_key(n): i
            for i, n in s.execute(select(Category.id, Category.name).where(Category.deleted_at.is_(None)))
        }
        self.sources = {
            search_key(n): i for i, n in s.execute(select(Source.id, Source.name).where(Source.deleted_at.is_(None)))
        }
        self.users: dict[str, uuid.UUID] = {}
        for i, login, name in s.execute(select(User.id, User.login, User.display_name).where(User.is_active.is_(True))):
            self.users[search_key(login)] = i
            self.users[search_key(name)] = i
        self.tags = {key: i for i, key in s.execute(select(Tag.id, Tag.name_key).where(Tag.deleted_at.is_(None)))}
        self.new_tags: list[dict] = []

    def _named(self, table: dict, model, text: str, what: str) -> uuid.UUID | None:
        key = search_key(text)
        if not key:
            return None
        if key in table:
            return table[key]
        if not self._actor.is_admin:
            raise ValidationError(f"{what} «{normalize_text(text)}» تعریف نشده است")
        row = model(name=normalize_text(text))
        self._s.add(row)
        self._s.flush()
        table[key] = row.id
        return row.id

    def category(self, text: str) -> uuid.UUID | None:
        return self._named(self.categories, Category, text, "دسته‌بندی")

    def source(self, text: str) -> uuid.UUID | None:
        return self._named(self.sources, Source, text, "منبع")

    def owner(self, text: str) -> uuid.UUID | None:
        key = search_key(text)
        if not key:
            return None
        if key not in self.users:
            raise ValidationError(f"کاربر «{normalize_text(text)}» پیدا نشد")
        return self.users[key]

    def tag_ids(self, names: list[str], now: dt.datetime, actor_id) -> list[uuid.UUID]:
        ids = []
        for name in names:
            key = search_key(name)
            if key not in self.tags:
                row = {
                    "id": new_id(),
                    "name": name,
                    "name_key": key,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "created_by": actor_id,
                    "updated_by": actor_id,
                }
                self.new_tags.append(row)
                self.tags[key] = row["id"]
            ids.append(self.tags[key])
        return list(dict.fromkeys(ids))


def row_data(values: dict[str, str], lookups: _Lookups) -> IdentityData:
    """One mapped row as form data; raises ValidationError for values the form could not hold."""
    v = {k: (x or "").strip() for k, x in values.items()}
    kind_text = search_key(v.get("kind", ""))
    kind = _KIND_WORDS.get(kind_text)
    if kind is None:
        if kind_text:
            raise ValidationError(f"نوع «{v['kind']}» شناخته نشد (شخص یا سازمان)")
        person_fields = v.get("first_name") or v.get("last_name") or v.get("national_code")
        kind = (
            IdentityKind.PERSON
            if person_fields or not (v.get("org_name") or v.get("legal_id"))
            else IdentityKind.ORGANISATION
        )
    first, last, org = v.get("first_name", ""), v.get("last_name", ""), v.get("org_name", "")
    full = v.get("full_name", "")
    if full and not (first or last or org):
        if kind is IdentityKind.ORGANISATION:
            org = full
        else:
            first, _, last = full.rpartition(" ") if " " in full else ("", "", full)
    role_text = search_key(v.get("role", ""))
    role = _ROLE_WORDS.get(role_text, IdentityRole.LEAD)
    if role_text and role_text not in _ROLE_WORDS:
        raise ValidationError(f"نقش «{v['role']}» شناخته نشد")
    birth = parse_date(v["birth_date"]) if v.get("birth_date") else None
    phones = []
    for name, kind_of in (
        ("mobile", PhoneKind.MOBILE),
        ("phone", PhoneKind.WORK),
        ("home_phone", PhoneKind.HOME),
        ("fax", PhoneKind.FAX),
    ):
        for number in _split(v.get(name, "")):
            phones.append(PhoneData(number, kind_of))
    address = AddressData(v.get("province", ""), v.get("city", ""), v.get("street", ""), v.get("postal_code", ""))
    return IdentityData(
        kind=kind,
        title=v.get("title", ""),
        first_name=first,
        last_name=last,
        org_name=org,
        national_code=v.get("national_code", ""),
        legal_id=v.get("legal_id", ""),
        economic_code=v.get("economic_code", ""),
        registration_no=v.get("registration_no", ""),
        birth_date=birth,
        phones=phones,
        emails=_split(v.get("email", "")),
        addresses=[] if address.is_blank() else [address],
        website=v.get("website", ""),
        category_id=lookups.category(v.get("category", "")),
        source_id=lookups.source(v.get("source", "")),
        tags=_split(v.get("tags", "")),
        owner_id=lookups.owner(v.get("owner", "")),
        description=v.get("description", ""),
        role=role,
    )


def _split(text: str) -> list[str]:
    """Several values in one cell: separated by ، , ; or a new line."""
    for sep in ("،", ";", "\n", "؛"):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def mapped_values(table: ImportTable, mapping: dict[int, str], row: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for index, name in mapping.items():
        if name and index < len(row) and row[index]:
            values[name] = f"{values[name]}, {row[index]}" if name in values else row[index]
    return values


class IdentityImportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    @staticmethod
    def read(path: Path) -> ImportTable:
        """The file's header and rows as text (CSV in UTF-8/UTF-8-BOM, or the first XLSX sheet).
        Anyone; raises ServiceError (unreadable file). Reads the file only."""
        return read_table(path)

    @staticmethod
    def guess_mapping(headers: list[str]) -> dict[int, str | None]:
        """Column index -> field name, recognising Persian and English headers. Pure."""
        return guess_mapping(headers)

    def preview(
        self, actor: Actor, table: ImportTable, mapping: dict[int, str | None], limit: int = 50
    ) -> list[PreviewRow]:
        """The first rows as they would be imported, each with its problem or duplicate. Anyone; reads
        (nothing is written: the transaction is rolled back)."""
        from app.services.identities.service import duplicate_keys

        result = []
        mapping = {i: n for i, n in mapping.items() if n}
        with self._db.read(actor) as s:
            lookups = _ReadOnly(_Lookups(s, actor))
            for number, row in table.numbered_rows()[:limit]:
                values = mapped_values(table, mapping, row)
                error, duplicate = None, None
                try:
                    cleaned = identity_records.validate(s, row_data(values, lookups))
                    keys = duplicate_keys(cleaned)
                    found, _hidden = duplicates.candidates(s, keys, limit=5)
                    if keys.has_strong_key:  # as the import decides: a bare name match does not count
                        found = [c for c in found if c.reasons != (duplicates.REASONS["name"],)]
                    duplicate = found[0].display_name if found else None
                except ValidationError as exc:
                    error = str(exc)
                except ValidationFailed as exc:
                    error = _first_error(exc)
                result.append(PreviewRow(number, values, error, duplicate))
        return result

    def run(
        self,
        actor: Actor,
        table: ImportTable,
        mapping: dict[int, str | None],
        on_duplicate: str = SKIP,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ImportResult:
        """Imports every row in one transaction. Rows with errors are reported, not imported; rows that
        duplicate an existing identity (or an earlier row) are skipped, merged or created. Anyone:
        own-documents users own what they import. Raises ImportCancelled (nothing written),
        ValidationFailed (bad on_duplicate). Writes."""
        if on_duplicate not in ON_DUPLICATE:
            raise ValidationFailed({"on_duplicate": "انتخاب نامعتبر برای تکراری‌ها"})
        mapping = {i: n for i, n in mapping.items() if n}
        if not mapping:
            raise ValidationFailed({"mapping": "هیچ ستونی به فیلدی نسبت داده نشده است"})
        rows = table.numbered_rows()
        total = len(rows)
        result = ImportResult(total=total, warnings=[RowError(n, reason) for n, reason in table.warnings])

        def tick(done: int, message: str) -> None:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                progress(done, total, message)

        from app.persian import format_number

        with self._db.write(actor) as s:
            lookups = _Lookups(s, actor)
            cleaned_rows = []
            for done, (number, row) in enumerate(rows, 1):
                if done % REPORT_EVERY == 0:
                    tick(done, f"بررسی ردیف {format_number(done)} از {format_number(total)}")
                try:
                    data = row_data(mapped_values(table, mapping, row), lookups)
                    if is_restricted(actor):
                        data.owner_id = actor.user_id  # own-documents users own what they import
                    cleaned_rows.append((number, data, identity_records.validate(s, data)))
                except ValidationError as exc:
                    result.errors.append(RowError(number, str(exc)))
                except ValidationFailed as exc:
                    result.errors.append(RowError(number, _first_error(exc)))
            tick(total, "جستجوی هویت‌های تکراری…")
            self._write(s, actor, cleaned_rows, on_duplicate, result, lookups, tick)
            tick(total, "ثبت نهایی…")
        result.errors.sort(key=lambda e: e.row_number)
        return result

    def _write(self, s: Session, actor: Actor, cleaned_rows, on_duplicate, result, lookups, tick) -> None:
        from app.services.identities.service import duplicate_keys

        keys = [duplicate_keys(c) for _, _, c in cleaned_rows]
        # A bare name decides only for rows without a phone, e-mail or code: look names up for those alone.
        found = duplicates.index_matches(s, [k if not k.has_strong_key else replace(k, name_key="") for k in keys])
        seen: dict[str, dict] = {reason: {} for reason in duplicates.REASONS}  # earlier rows of the file
        now = utcnow()
        batch = NewIdentities(actor, now)
        for done, ((_number, data, cleaned), key) in enumerate(zip(cleaned_rows, keys, strict=True), 1):
            if done % REPORT_EVERY == 0:
                tick(done, "ثبت هویت‌ها…")
            hits = duplicates.matches_of(found, key, names=not key.has_strong_key)
            earlier = duplicates.matches_of(seen, key, names=not key.has_strong_key)
            if (hits or earlier) and on_duplicate == SKIP:
                result.skipped += 1
                continue
            if (hits or earlier) and on_duplicate == MERGE:
                if hits:
                    target = sorted(hits, key=lambda i: (-len(hits[i]), str(i)))[0]
                    self._merge_into(s, target, data)
                else:
                    batch.fold(next(iter(earlier)), cleaned)
                result.merged += 1
                continue
            identity_id = batch.add(cleaned, data, lookups)
            for reason, values in (
                ("name", [key.name_key] if key.name_key else []),
                ("phone", key.phones),
                ("email", key.emails),
                ("national_code", [key.national_code] if key.national_code else []),
                ("legal_id", [key.legal_id] if key.legal_id else []),
            ):
                for value in values:
                    seen[reason].setdefault(value, set()).add(identity_id)
            result.created += 1
        batch.flush(s, lookups)

    @staticmethod
    def _merge_into(s: Session, identity_id: uuid.UUID, data: IdentityData) -> None:
        identity_records.fold_into(s, s.get(Identity, identity_id), data)


class _ReadOnly:
    """Lookups for the preview: unknown names are reported, never created."""

    def __init__(self, lookups: _Lookups) -> None:
        self._l = lookups

    def category(self, text: str):
        return self._l.categories.get(search_key(text))  # unknown: an administrator's import creates it

    def source(self, text: str):
        return self._l.sources.get(search_key(text))

    def owner(self, text: str):
        return self._l.owner(text)


def write_error_report(path: Path, table: ImportTable, errors: list[RowError]) -> None:
    """The rejected rows as a Persian sheet (XLSX or CSV by suffix): row number, reason, then the
    row's own cells, so the user can fix them and import the report again."""
    from app.services.identities.table import SheetWriter

    by_number = dict(table.numbered_rows())
    writer = SheetWriter(Path(path), ["ردیف", "دلیل", *table.headers], title="خطاهای ورود اطلاعات")
    try:
        writer.write([str(e.row_number), e.reason, *by_number.get(e.row_number, [])] for e in errors)
        writer.close()
    except BaseException:
        writer.abort()
        raise
