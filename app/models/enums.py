"""Enumerations shared by models, services and (through services) the UI. Pure Python."""

from __future__ import annotations

import enum


class AccessLevel(str, enum.Enum):
    ADMIN = "admin"  # مدیر
    ALL_DOCUMENTS = "all"  # همه اسناد
    OWN_DOCUMENTS = "own"  # فقط اسناد خود


class IdentityKind(str, enum.Enum):
    PERSON = "person"
    ORGANISATION = "organisation"


class IdentityRole(str, enum.Enum):
    LEAD = "lead"  # سرنخ
    CONTACT = "contact"  # مخاطب
    CUSTOMER = "customer"  # مشتری
    UNQUALIFIED = "unqualified"  # عدم کفایت سرنخ


class PhoneKind(str, enum.Enum):
    MOBILE = "mobile"
    WORK = "work"
    HOME = "home"
    FAX = "fax"


class OpportunityStatus(str, enum.Enum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ActivityKind(str, enum.Enum):
    CALL = "call"  # تماس
    MEETING = "meeting"  # جلسه
    REMINDER = "reminder"  # یادآوری/پیگیری
    TASK = "task"  # وظیفه
    NOTE = "note"  # یادداشت
    FILE = "file"  # فایل


class ActivityState(str, enum.Enum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"
