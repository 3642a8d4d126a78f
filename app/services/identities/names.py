"""The name an identity is shown by (its `display_name`): every list, picker, tab title, timeline and
document reads that one column, and its sort and search keys are derived from it on the write path
(core/sort_keys.py, identities/search_index.py).

A lead may have no name yet (seed 000: «تنها یک شماره تماس یا یک وبسایت داریم»): it is then shown
by what it has, its first phone (Persian digits), else its first e-mail, else its website. Contacts
and customers need a name.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.models import IdentityKind, IdentityRole
from app.persian import to_persian_digits

# Roles that may stay nameless: the lead and the lead judged unqualified (it may come back).
NAMELESS_ROLES = (IdentityRole.LEAD, IdentityRole.UNQUALIFIED)
NAME_NEEDED = "نام یا نام خانوادگی را وارد کنید"
ORG_NAME_NEEDED = "نام سازمان وارد نشده است"
LEAD_NEEDS_ONE = "نام، شماره تماس، ایمیل یا وب‌سایت را وارد کنید"
CONTACT_NEEDS_NAME = "پیش از تبدیل به مخاطب، نام هویت را در «جزئیات» وارد کنید."


def display_name(kind: IdentityKind, first: str, last: str, org: str) -> str:
    """The typed name: an organisation's name, a person's first and last name; "" for none."""
    if kind is IdentityKind.ORGANISATION:
        return org
    return " ".join(p for p in (first, last) if p)


def contact_label(phones: Iterable[str], emails: Iterable[str], website: str | None) -> str:
    """What a nameless lead is shown by: its first phone in Persian digits, else its first e-mail,
    else its website; "" when it has none of them."""
    for number in phones:
        return to_persian_digits(number)
    for email in emails:
        return email
    return website or ""


def name_field(kind: IdentityKind) -> str:
    """The form field a missing name is reported beside."""
    return "org_name" if kind is IdentityKind.ORGANISATION else "last_name"


def missing_name(kind: IdentityKind, role: IdentityRole) -> str:
    """The refusal of an identity with no name (and, for a lead, nothing else to show)."""
    if role in NAMELESS_ROLES:
        return LEAD_NEEDS_ONE
    return ORG_NAME_NEEDED if kind is IdentityKind.ORGANISATION else NAME_NEEDED


def is_named(identity) -> bool:
    """Whether the identity row has a name of its own (not only the phone, e-mail or website it is
    shown by). Rows written by other paths may carry only display_name: that counts as a name."""
    typed = display_name(identity.kind, identity.first_name or "", identity.last_name or "", identity.org_name or "")
    if typed:
        return True
    shown = contact_label(
        [p.number for p in identity.phones if p.deleted_at is None],
        [e.email for e in identity.emails if e.deleted_at is None],
        identity.website,
    )
    return bool(identity.display_name) and identity.display_name != shown
