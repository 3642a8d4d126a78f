"""Company details (printed on invoices later) and application settings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from app.models import Setting
from app.persian import normalize_text, to_ascii_digits, validators
from app.persian.numbers import MoneyUnit
from app.services.core.actor import SYSTEM, Actor
from app.services.core.database import Database
from app.services.core.errors import AccessDenied, ValidationFailed

_COMPANY = "company"
_MONEY_UNIT = "money_unit"
# شماره ثبت as the registry writes it: digits, sometimes with «/» or «-» («۱۲۳۴۵/۶»).
_REGISTRATION = re.compile(r"[0-9]+(?:[/-][0-9]+)*")
REGISTRATION_LENGTH = 20


@dataclass
class CompanyInfo:
    name: str = ""
    economic_code: str = ""
    national_id: str = ""
    registration_number: str = ""  # شماره ثبت, printed in the seller block
    address: str = ""
    postal_code: str = ""
    phone: str = ""


def validate_company(info: CompanyInfo) -> CompanyInfo:
    """Normalised copy of `info`, or ValidationFailed naming each wrong field."""
    errors: dict[str, str] = {}
    clean = CompanyInfo(
        name=normalize_text(info.name),
        address=normalize_text(info.address),
        phone=normalize_text(info.phone),
        registration_number=to_ascii_digits(normalize_text(info.registration_number)),
    )
    if not clean.name:
        errors["name"] = "نام شرکت را وارد کنید."
    registration = clean.registration_number
    if registration and (len(registration) > REGISTRATION_LENGTH or not _REGISTRATION.fullmatch(registration)):
        errors["registration_number"] = "شماره ثبت فقط رقم است (با «/» یا «-» بین رقم‌ها)."
    checks = (
        ("economic_code", validators.economic_code),
        ("national_id", validators.legal_id),
        ("postal_code", validators.postal_code),
    )
    for field, check in checks:
        raw = getattr(info, field).strip()
        if not raw:
            continue
        try:
            setattr(clean, field, check(raw))
        except validators.ValidationError as exc:
            errors[field] = exc.message
    if errors:
        raise ValidationFailed(errors)
    return clean


class SettingsService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def _get(self, key: str):
        with self._db.read(SYSTEM) as s:
            row = s.get(Setting, key)
            return None if row is None else row.value

    def _put(self, actor: Actor, key: str, value) -> None:
        if not actor.is_admin:
            raise AccessDenied("فقط مدیر می‌تواند تنظیمات را تغییر دهد.")
        with self._db.write(actor) as s:
            s.merge(Setting(key=key, value=value))

    def is_first_run(self) -> bool:
        return self._get(_COMPANY) is None

    def company(self) -> CompanyInfo:
        data = self._get(_COMPANY) or {}
        return CompanyInfo(**{k: v for k, v in data.items() if k in CompanyInfo.__dataclass_fields__})

    def save_company(self, actor: Actor, info: CompanyInfo) -> CompanyInfo:
        """Admin only. Validates every field; raises ValidationFailed or AccessDenied. Writes."""
        clean = validate_company(info)
        self._put(actor, _COMPANY, asdict(clean))
        return clean

    def money_unit(self) -> MoneyUnit:
        return MoneyUnit(self._get(_MONEY_UNIT) or MoneyUnit.RIAL.value)

    def set_money_unit(self, actor: Actor, unit: MoneyUnit) -> None:
        self._put(actor, _MONEY_UNIT, unit.value)
