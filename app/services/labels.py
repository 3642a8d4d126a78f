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

# Record kinds and field names as the history (تاریخچه) and the recycle bin show them.
TABLE = {
    "identities": "هویت",
    "identity_phones": "تلفن",
    "identity_emails": "ایمیل",
    "identity_addresses": "نشانی",
    "opportunities": "فرصت",
    "activities": "فعالیت",
    "products": "محصول",
    "product_groups": "گروه محصول",
    "pipelines": "کاریز",
    "stages": "مرحله",
    "sales_teams": "تیم فروش",
}
AUDIT_ACTION = {"create": "ایجاد", "update": "ویرایش", "delete": "حذف", "restore": "بازیابی", "purge": "حذف دائمی"}
FIELD = {
    "kind": "نوع",
    "role": "نقش",
    "title": "عنوان",
    "first_name": "نام",
    "last_name": "نام خانوادگی",
    "org_name": "نام سازمان",
    "display_name": "نام نمایشی",
    "national_code": "کد ملی",
    "legal_id": "شناسه ملی",
    "economic_code": "کد اقتصادی",
    "registration_no": "شماره ثبت",
    "birth_date": "تاریخ تولد",
    "organisation_id": "سازمان",
    "website": "وب‌سایت",
    "owner_id": "مسئول",
    "description": "توضیحات",
    "merged_into_id": "ادغام‌شده در",
    "deleted_at": "زمان حذف",
    "number": "شماره",
    "email": "ایمیل",
    "province": "استان",
    "city": "شهر",
    "street": "نشانی",
    "postal_code": "کد پستی",
    "identity_id": "هویت",
    "opportunity_id": "فرصت",
    "stage_id": "مرحله",
    "pipeline_id": "کاریز",
    "status": "وضعیت",
    "amount": "مبلغ",
    "probability": "احتمال",
    "priority": "اولویت",
    "expected_close": "تاریخ پیش‌بینی بستن",
    "closed_on": "تاریخ بسته شدن",
    "close_reason": "دلیل",
    "summary": "خلاصه",
    "due_at": "موعد",
    "state": "وضعیت",
    "assignee_id": "انجام‌دهنده",
    "result": "نتیجه",
    "done_at": "زمان انجام",
    "name": "نام",
    "leader_id": "سرپرست",
    "monthly_target": "هدف ماهانه",
    "position": "ترتیب",
}
