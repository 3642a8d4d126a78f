"""One identity as the form edits it: input data, validation, applying it to the row, reading it back.

Validation follows iran-rules.md (app.persian.validators) and reports every faulty field at once,
keyed by the form's field names: "last_name", "national_code", "phones.0", "emails.1",
"addresses.0.postal_code" ...
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Category,
    Identity,
    IdentityAddress,
    IdentityEmail,
    IdentityKind,
    IdentityPhone,
    IdentityRole,
    IdentityTag,
    PhoneKind,
    Source,
    Tag,
    User,
    utcnow,
)
from app.persian import ValidationError, normalize_text, search_key, to_ascii_digits, validators
from app.services.core.errors import ValidationFailed
from app.services.core.links import replace_links
from app.services.identities.names import (
    NAMELESS_ROLES,
    contact_label,
    display_name,
    is_named,
    missing_name,
    name_field,
)

_PHONE = re.compile(r"\+?[0-9]{4,15}")
_WEBSITE = re.compile(r"(https?://)?[^\s/$.?#]+\.[^\s]{2,}", re.IGNORECASE)
LIMITS = {"title": 50, "first_name": 100, "last_name": 100, "org_name": 200, "registration_no": 30, "website": 200}


@dataclass
class PhoneData:
    number: str
    kind: PhoneKind = PhoneKind.MOBILE


@dataclass
class AddressData:
    province: str = ""
    city: str = ""
    street: str = ""
    postal_code: str = ""

    def is_blank(self) -> bool:
        return not any(v.strip() for v in (self.province, self.city, self.street, self.postal_code))


@dataclass
class IdentityData:
    """What a user types into the identity form (or an import row carries)."""

    kind: IdentityKind = IdentityKind.PERSON
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    org_name: str = ""
    national_code: str = ""
    legal_id: str = ""
    economic_code: str = ""
    registration_no: str = ""
    birth_date: dt.date | None = None
    organisation_id: uuid.UUID | None = None
    phones: list[PhoneData] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[AddressData] = field(default_factory=list)
    website: str = ""
    category_id: uuid.UUID | None = None
    source_id: uuid.UUID | None = None
    tags: list[str] = field(default_factory=list)
    owner_id: uuid.UUID | None = None  # None on create: the acting user
    description: str = ""
    role: IdentityRole = IdentityRole.LEAD  # used on create only; later changes go through the lifecycle


@dataclass(frozen=True)
class IdentityDetail:
    """One identity as read back: every field, names of what it refers to, and its version."""

    id: uuid.UUID
    version: int
    kind: IdentityKind
    role: IdentityRole
    display_name: str
    title: str
    first_name: str
    last_name: str
    org_name: str
    national_code: str
    legal_id: str
    economic_code: str
    registration_no: str
    birth_date: dt.date | None
    organisation_id: uuid.UUID | None
    organisation_name: str | None
    phones: list[PhoneData]
    emails: list[str]
    addresses: list[AddressData]
    website: str
    category_id: uuid.UUID | None
    category_name: str | None
    source_id: uuid.UUID | None
    source_name: str | None
    tags: list[str]
    owner_id: uuid.UUID | None
    owner_name: str | None
    description: str
    merged_into_id: uuid.UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime

    def to_data(self) -> IdentityData:
        return IdentityData(
            kind=self.kind,
            title=self.title,
            first_name=self.first_name,
            last_name=self.last_name,
            org_name=self.org_name,
            national_code=self.national_code,
            legal_id=self.legal_id,
            economic_code=self.economic_code,
            registration_no=self.registration_no,
            birth_date=self.birth_date,
            organisation_id=self.organisation_id,
            phones=[PhoneData(p.number, p.kind) for p in self.phones],
            emails=list(self.emails),
            addresses=[AddressData(a.province, a.city, a.street, a.postal_code) for a in self.addresses],
            website=self.website,
            category_id=self.category_id,
            source_id=self.source_id,
            tags=list(self.tags),
            owner_id=self.owner_id,
            description=self.description,
            role=self.role,
        )


@dataclass
class Cleaned:
    """Validated, normalised values ready to store."""

    values: dict
    phones: list[PhoneData]
    emails: list[str]
    addresses: list[AddressData]
    tags: list[str]
    warnings: dict[str, str]


def phone_number(kind: PhoneKind, raw: str) -> str:
    """A mobile through the validator (09…); other kinds: ASCII digits, 4-15 of them (+ allowed)."""
    if kind is PhoneKind.MOBILE:
        return validators.mobile(raw)
    text = re.sub(r"[\s\-().\u200c-\u200f]", "", to_ascii_digits(raw or ""))
    if not _PHONE.fullmatch(text):
        raise ValidationError("شماره تلفن معتبر نیست")
    return text


def _code(errors: dict, name: str, raw: str, check) -> str | None:
    if not raw.strip():
        return None
    try:
        return check(raw)
    except ValidationError as exc:
        errors[name] = str(exc)
        return None


def validate(s: Session, data: IdentityData, identity_id: uuid.UUID | None = None) -> Cleaned:
    """Every field checked at once; raises ValidationFailed({field: Persian message})."""
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    texts = {name: normalize_text(getattr(data, name)) for name in ("title", "first_name", "last_name", "org_name")}
    texts["registration_no"] = to_ascii_digits(normalize_text(data.registration_no))
    for name, limit in LIMITS.items():
        value = texts.get(name, data.website.strip() if name == "website" else "")
        if len(value) > limit:
            errors[name] = f"حداکثر {limit} نویسه مجاز است"
    national = _code(errors, "national_code", data.national_code, validators.national_code)
    legal = _code(errors, "legal_id", data.legal_id, validators.legal_id)
    economic = _code(errors, "economic_code", data.economic_code, validators.economic_code)

    birth = data.birth_date
    if birth is not None and not (dt.date(1900, 1, 1) <= birth <= dt.date.today()):
        errors["birth_date"] = "تاریخ تولد معتبر نیست"

    phones: list[PhoneData] = []
    seen: set[str] = set()
    for i, phone in enumerate(data.phones):
        if not phone.number.strip():
            continue
        try:
            number = phone_number(phone.kind, phone.number)
        except ValidationError as exc:
            errors[f"phones.{i}"] = str(exc)
            continue
        if number in seen:
            errors[f"phones.{i}"] = "این شماره تکراری است"
        seen.add(number)
        phones.append(PhoneData(number, phone.kind))

    emails: list[str] = []
    for i, raw in enumerate(data.emails):
        if not raw.strip():
            continue
        try:
            email = validators.email(raw)
        except ValidationError as exc:
            errors[f"emails.{i}"] = str(exc)
            continue
        if email.casefold() in {e.casefold() for e in emails}:
            errors[f"emails.{i}"] = "این ایمیل تکراری است"
        emails.append(email)

    addresses: list[AddressData] = []
    for i, address in enumerate(data.addresses):
        if address.is_blank():
            continue
        postal = _code(errors, f"addresses.{i}.postal_code", address.postal_code, validators.postal_code)
        if postal is not None:
            warning = validators.postal_code_warning(postal)
            if warning:
                warnings[f"addresses.{i}.postal_code"] = warning
        parts = [normalize_text(v) for v in (address.province, address.city, address.street)]
        for key, value, limit in (("province", parts[0], 60), ("city", parts[1], 60), ("street", parts[2], 400)):
            if len(value) > limit:
                errors[f"addresses.{i}.{key}"] = f"حداکثر {limit} نویسه مجاز است"
        addresses.append(AddressData(parts[0], parts[1], parts[2], postal or ""))

    website = data.website.strip()
    if website and not _WEBSITE.fullmatch(website):
        errors["website"] = "نشانی وب‌سایت معتبر نیست"

    name = display_name(data.kind, texts["first_name"], texts["last_name"], texts["org_name"])
    if not name:
        # The role saved decides on an edit (the form's role is used on create only).
        saved = s.get(Identity, identity_id) if identity_id is not None else None
        role = saved.role if saved is not None else data.role
        if role in NAMELESS_ROLES:
            name = contact_label([p.number for p in phones], emails, "" if "website" in errors else website)
        if not name:
            errors[name_field(data.kind)] = missing_name(data.kind, role)

    _check_references(s, data, identity_id, errors)
    tags = list(dict.fromkeys(normalize_text(t) for t in data.tags if normalize_text(t)))
    if any(len(t) > 100 for t in tags):
        errors["tags"] = "هر برچسب حداکثر ۱۰۰ نویسه است"
    if errors:
        raise ValidationFailed(errors)
    values = {
        "kind": data.kind,
        **{k: v or None for k, v in texts.items()},
        "display_name": name,
        "national_code": national,
        "legal_id": legal,
        "economic_code": economic,
        "birth_date": birth,
        "organisation_id": data.organisation_id,
        "website": website or None,
        "category_id": data.category_id,
        "source_id": data.source_id,
        "description": normalize_text(data.description) or None,
    }
    return Cleaned(values, phones, emails, addresses, tags, warnings)


def _check_references(s: Session, data: IdentityData, identity_id, errors: dict) -> None:
    if data.organisation_id is not None:
        org = s.get(Identity, data.organisation_id)
        if org is None or org.deleted_at is not None or org.kind is not IdentityKind.ORGANISATION:
            errors["organisation_id"] = "سازمان انتخاب‌شده پیدا نشد"
        elif data.organisation_id == identity_id:
            errors["organisation_id"] = "یک هویت نمی‌تواند عضو خودش باشد"
    for name, model, message in (
        ("category_id", Category, "دسته‌بندی انتخاب‌شده پیدا نشد"),
        ("source_id", Source, "منبع انتخاب‌شده پیدا نشد"),
    ):
        value = getattr(data, name)
        if value is not None:
            row = s.get(model, value)
            if row is None or row.deleted_at is not None:
                errors[name] = message
    if data.owner_id is not None:
        user = s.get(User, data.owner_id)
        if user is None or not user.is_active:
            errors["owner_id"] = "کاربر مسئول پیدا نشد یا غیرفعال است"


def tags_by_name(s: Session, names: list[str]) -> list[Tag]:
    """Existing tags with these names (by search key), creating the missing ones."""
    result = []
    for name in names:
        key = search_key(name)
        tag = s.scalars(select(Tag).where(Tag.name_key == key, Tag.deleted_at.is_(None))).first()
        if tag is None:
            tag = Tag(name=name, name_key=key)
            s.add(tag)
        result.append(tag)
    return result


def _sync_children(s: Session, current: list, wanted: list, make, same) -> list:
    """Keeps rows that match `wanted` in order, soft-deletes the rest, adds the new ones."""
    kept = []
    remaining = [row for row in current if row.deleted_at is None]
    for position, item in enumerate(wanted):
        match = next((row for row in remaining if same(row, item)), None)
        if match is None:
            match = make(item)
        else:
            remaining.remove(match)
        if match.position != position:
            match.position = position
        kept.append(match)
    now = utcnow()
    for row in remaining:
        row.deleted_at = now  # a tombstone, as every business row (sync); the audit records «حذف»
    return kept


def apply(s: Session, identity: Identity, cleaned: Cleaned) -> None:
    """Writes cleaned values and children onto the (new or loaded) identity."""
    for name, value in cleaned.values.items():
        if getattr(identity, name) != value:
            setattr(identity, name, value)

    def phone(item: PhoneData) -> IdentityPhone:
        row = IdentityPhone(kind=item.kind, number=item.number, number_key=re.sub(r"[^0-9]", "", item.number))
        identity.phones.append(row)
        return row

    def email(item: str) -> IdentityEmail:
        row = IdentityEmail(email=item, email_key=item.casefold())
        identity.emails.append(row)
        return row

    def address(item: AddressData) -> IdentityAddress:
        row = IdentityAddress(
            province=item.province or None,
            city=item.city or None,
            street=item.street or None,
            postal_code=item.postal_code or None,
        )
        identity.addresses.append(row)
        return row

    _sync_children(
        s, list(identity.phones), cleaned.phones, phone, lambda r, p: (r.number, r.kind) == (p.number, p.kind)
    )
    _sync_children(s, list(identity.emails), cleaned.emails, email, lambda r, e: r.email == e)
    _sync_children(
        s,
        list(identity.addresses),
        cleaned.addresses,
        address,
        lambda r, a: (
            (r.province or "", r.city or "", r.street or "", r.postal_code or "")
            == (a.province, a.city, a.street, a.postal_code)
        ),
    )
    wanted_tags = tags_by_name(s, cleaned.tags)
    if any(t.id is None for t in wanted_tags):
        s.flush()  # new tags get their ids
    if replace_links(s, IdentityTag, identity, "tag_id", [t.id for t in wanted_tags]):
        s.flush()
        s.expire(identity, ["tags"])  # read again, from the link rows


def detail(s: Session, identity: Identity) -> IdentityDetail:
    def name_of(model, value, attr="name"):
        if value is None:
            return None
        row = s.get(model, value)
        return getattr(row, attr) if row is not None else None

    live = [p for p in identity.phones if p.deleted_at is None]
    first, last, org = identity.first_name or "", identity.last_name or "", identity.org_name or ""
    # Rows written by other paths may carry only display_name: show it in the name field to edit
    # (not the phone, e-mail or website a nameless lead is shown by).
    if not (first or last or org) and is_named(identity):
        if identity.kind is IdentityKind.PERSON:
            last = identity.display_name
        else:
            org = identity.display_name
    return IdentityDetail(
        id=identity.id,
        version=identity.version,
        kind=identity.kind,
        role=identity.role,
        display_name=identity.display_name,
        title=identity.title or "",
        first_name=first,
        last_name=last,
        org_name=org,
        national_code=identity.national_code or "",
        legal_id=identity.legal_id or "",
        economic_code=identity.economic_code or "",
        registration_no=identity.registration_no or "",
        birth_date=identity.birth_date,
        organisation_id=identity.organisation_id,
        organisation_name=name_of(Identity, identity.organisation_id, "display_name"),
        phones=[PhoneData(p.number, p.kind) for p in live],
        emails=[e.email for e in identity.emails if e.deleted_at is None],
        addresses=[
            AddressData(a.province or "", a.city or "", a.street or "", a.postal_code or "")
            for a in identity.addresses
            if a.deleted_at is None
        ],
        website=identity.website or "",
        category_id=identity.category_id,
        category_name=name_of(Category, identity.category_id),
        source_id=identity.source_id,
        source_name=name_of(Source, identity.source_id),
        tags=[t.name for t in identity.tags if t.deleted_at is None],
        owner_id=identity.owner_id,
        owner_name=name_of(User, identity.owner_id, "display_name"),
        description=identity.description or "",
        merged_into_id=identity.merged_into_id,
        created_at=identity.created_at,
        updated_at=identity.updated_at,
    )


def fold_into(s: Session, identity: Identity, data: IdentityData) -> None:
    """Adds data to an existing identity (a duplicate merged on import or from the form): its empty
    fields are filled, new phones, e-mails, addresses and tags are added; nothing is overwritten."""
    current = detail(s, identity).to_data()
    for name in (
        "title",
        "first_name",
        "last_name",
        "org_name",
        "national_code",
        "legal_id",
        "economic_code",
        "registration_no",
        "website",
        "description",
    ):
        if not getattr(current, name) and getattr(data, name):
            setattr(current, name, getattr(data, name))
    for name in ("birth_date", "category_id", "source_id", "organisation_id"):
        if getattr(current, name) is None and getattr(data, name) is not None:
            setattr(current, name, getattr(data, name))
    known = {p.number for p in current.phones}
    for phone in data.phones:
        try:
            number = phone_number(phone.kind, phone.number)
        except ValidationError:
            number = phone.number  # validation below reports it
        if number not in known:
            current.phones.append(PhoneData(number, phone.kind))
            known.add(number)
    lower = {e.casefold() for e in current.emails}
    current.emails += [e for e in data.emails if e.strip() and e.strip().casefold() not in lower]
    current.addresses += [a for a in data.addresses if not a.is_blank() and a not in current.addresses]
    current.tags += [t for t in data.tags if t not in current.tags]
    apply(s, identity, validate(s, current, identity.id))
