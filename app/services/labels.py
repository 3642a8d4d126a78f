"""Persian names of enumeration values, shared by the UI, the command line and PDFs."""

from __future__ import annotations

from app.models.enums import (
    AccessLevel,
    ActivityKind,
    ActivityState,
    IdentityKind,
    IdentityRole,
    OpportunityStatus,
    PhoneKind,
)

ROLE = {
    IdentityRole.LEAD: "سرنخ",
    IdentityRole.CONTACT: "مخاطب",
    IdentityRole.CUSTOMER: "مشتری",
    IdentityRole.UNQUALIFIED: "عدم کفایت سرنخ",
}
KIND = {IdentityKind.PERSON: "شخص", IdentityKind.ORGANISATION: "سازمان"}
PHONE_KIND = {
    PhoneKind.MOBILE: "موبایل",
    PhoneKind.WORK: "محل کار",
    PhoneKind.HOME: "منزل",
    PhoneKind.FAX: "نمابر",
}
OPPORTUNITY_STATUS = {
    OpportunityStatus.OPEN: "باز",
    OpportunityStatus.WON: "برنده",
    OpportunityStatus.LOST: "بازنده",
}
ACTIVITY_KIND = {
    ActivityKind.CALL: "تماس",
    ActivityKind.MEETING: "جلسه",
    ActivityKind.REMINDER: "یادآوری/پیگیری",
    ActivityKind.TASK: "وظیفه",
    ActivityKind.NOTE: "یادداشت",
    ActivityKind.FILE: "فایل",
}
ACTIVITY_STATE = {
    ActivityState.PLANNED: "برنامه‌ریزی‌شده",
    ActivityState.DONE: "انجام‌شده",
    ActivityState.CANCELLED: "لغوشده",
}
ACCESS_LEVEL = {
    AccessLevel.ADMIN: "مدیر",
    AccessLevel.ALL_DOCUMENTS: "همه اسناد",
    AccessLevel.OWN_DOCUMENTS: "فقط اسناد خود",
}
