"""Persian names of enumeration values, shared by the UI, the command line and PDFs."""

from __future__ import annotations

from app.models.enums import (
    AccessLevel,
    ActivityKind,
    ActivityState,
    BuyingProcess,
    CustomFieldKind,
    DelayFrom,
    DelayUnit,
    IdentityKind,
    IdentityRole,
    NextActivityMode,
    OpportunityStatus,
    PhoneKind,
    ReasonKind,
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
BUYING_PROCESS = {BuyingProcess.INDIVIDUAL: "فردی", BuyingProcess.GROUP: "گروهی"}
REASON_KIND = {ReasonKind.WIN: "دلیل برد", ReasonKind.LOSS: "دلیل باخت"}
CUSTOM_FIELD_KIND = {
    CustomFieldKind.TEXT: "متن",
    CustomFieldKind.NUMBER: "عدد",
    CustomFieldKind.DATE: "تاریخ (شمسی)",
    CustomFieldKind.CHOICE: "انتخابی",
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
    "activity_types": "نوع فعالیت",
    "activity_attendees": "شرکت‌کننده جلسه",
    "attachments": "پیوست",
    "messages": "پیام یا یادداشت",
    "opportunity_lines": "محصول فرصت",
    "price_lists": "لیست قیمت",
    "price_list_items": "قیمت",
    "opportunity_types": "نوع فرصت",
    "campaigns": "کمپین",
    "media": "وسیله ارتباطی",
    "close_reasons": "دلیل موفقیت/شکست",
    "competitors": "رقیب",
    "custom_fields": "فیلد اضافه",
    "team_members": "عضویت در تیم فروش",
    "stage_folds": "ستون جمع‌شده بورد",
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
    "details": "شرح",
    "place": "مکان",
    "duration_minutes": "مدت (دقیقه)",
    "type_id": "نوع فعالیت",
    "previous_id": "فعالیت قبلی",
    "activity_id": "فعالیت",
    "user_id": "کاربر",
    "filename": "نام فایل",
    "size_bytes": "حجم (بایت)",
    "team_id": "تیم فروش",
    "folded": "جمع‌شده روی بورد",
    "color": "رنگ",
    "campaign_id": "کمپین",
    "medium_id": "وسیله ارتباطی",
    "referrer_id": "معرف",
    "probability_manual": "احتمال دستی",
    "buying_process": "پروسه خرید",
    "price_list_id": "لیست قیمت",
    "close_reason_id": "دلیل",
    "close_note": "یادداشت نتیجه",
    "lost_to_id": "رقیب برنده",
    "won_amount": "مبلغ نهایی",
    "extra": "مشخصات اضافه",
    "default_price": "قیمت پیش‌فرض",
    "on_hand": "موجودی",
    "track_stock": "انبارداری",
    "vat_exempt": "معاف از مالیات",
    "is_service": "خدمت",
    "is_active": "فعال",
    "code": "کد",
    "price": "قیمت",
    "sstid": "شناسه کالا/خدمت",
    "unit_code": "کد واحد",
    "group_id": "گروه",
    "is_default": "پیش‌فرض",
    "phones": "تلفن‌ها",
    "emails": "ایمیل‌ها",
    "addresses": "نشانی‌ها",
    "category_id": "دسته",
    "source_id": "نحوه آشنایی",
    "tags": "برچسب‌ها",
    "competitor_ids": "رقبا",
    "lines": "اقلام",
    "attendee_identity_ids": "حاضران (هویت‌ها)",
    "attendee_user_ids": "حاضران (کاربران)",
}

# Activity types' default next activity (admin dialog).
NEXT_ACTIVITY_MODE = {
    NextActivityMode.NONE: "بدون فعالیت بعدی",
    NextActivityMode.SUGGEST: "پیشنهاد فعالیت بعدی",
    NextActivityMode.AUTO: "شروع خودکار فعالیت بعدی",
}
DELAY_UNIT = {DelayUnit.DAYS: "روز", DelayUnit.WEEKS: "هفته", DelayUnit.MONTHS: "ماه"}
DELAY_FROM = {DelayFrom.COMPLETION: "پس از انجام", DelayFrom.DEADLINE: "پس از مهلت"}


# --- Quotes, invoices, returns, receipts (documents) ---------------------------------------
from app.models.enums import (  # noqa: E402
    BuyerType,
    ChequeState,
    DocumentState,
    MoneyDirection,
    PaymentMethod,
    PaymentStatus,
    QuoteState,
    Settlement,
)

QUOTE_STATE = {
    QuoteState.DRAFT: "پیش‌نویس",
    QuoteState.SENT: "ارسال‌شده",
    QuoteState.ACCEPTED: "پذیرفته‌شده",
    QuoteState.REJECTED: "ردشده",
    QuoteState.EXPIRED: "منقضی",
}
DOCUMENT_STATE = {DocumentState.DRAFT: "پیش‌نویس", DocumentState.ISSUED: "صادرشده"}
SETTLEMENT = {Settlement.CASH: "نقدی", Settlement.CREDIT: "غیر نقدی (اعتباری)", Settlement.BOTH: "نقدی و غیر نقدی"}
BUYER_TYPE = {
    BuyerType.PERSON: "شخص حقیقی",
    BuyerType.LEGAL: "شخص حقوقی",
    BuyerType.PARTNERSHIP: "مشارکت مدنی",
    BuyerType.FOREIGN: "اتباع غیر ایرانی",
}
PAYMENT_METHOD = {
    PaymentMethod.CASH: "نقد",
    PaymentMethod.CARD_TO_CARD: "کارت به کارت",
    PaymentMethod.BANK_TRANSFER: "حواله بانکی",
    PaymentMethod.CHEQUE: "چک",
    PaymentMethod.CREDIT: "اعتباری",
    PaymentMethod.PAYMENT_LINK: "لینک پرداخت",
    PaymentMethod.POS: "کارتخوان",
}
MONEY_DIRECTION = {MoneyDirection.IN: "دریافت", MoneyDirection.OUT: "پرداخت"}
CHEQUE_STATE = {
    ChequeState.RECEIVED: "دریافت‌شده",
    ChequeState.DEPOSITED: "واگذارشده به بانک",
    ChequeState.CLEARED: "وصول‌شده",
    ChequeState.BOUNCED: "برگشتی",
    ChequeState.RETURNED: "عودت‌شده",
}
PAYMENT_STATUS = {
    PaymentStatus.UNPAID: "پرداخت‌نشده",
    PaymentStatus.PARTLY_PAID: "پرداخت جزئی",
    PaymentStatus.PAID: "پرداخت‌شده",
}
TABLE.update(
    {
        "quotes": "پیش‌فاکتور",
        "quote_lines": "ردیف پیش‌فاکتور",
        "invoices": "صورتحساب",
        "invoice_lines": "ردیف صورتحساب",
        "sales_returns": "برگشت از فروش",
        "sales_return_lines": "ردیف برگشت از فروش",
        "receipts": "دریافت و پرداخت",
        "receipt_allocations": "تخصیص به صورتحساب",
        "vat_rates": "نرخ مالیات بر ارزش افزوده",
    }
)
for _field, _label in {
    "fiscal_year": "سال مالی",
    "issue_date": "تاریخ",
    "valid_until": "اعتبار تا",
    "settlement": "شرایط فروش",
    "notes": "توضیحات",
    "quantity": "مقدار",
    "unit": "واحد",
    "unit_price": "مبلغ واحد",
    "discount": "تخفیف",
    "vat_rate": "نرخ مالیات",
    "vat": "مالیات و عوارض",
    "total": "جمع کل",
    "product_id": "کالا یا خدمت",
    "quote_id": "پیش‌فاکتور",
    "invoice_id": "صورتحساب",
    "issued_at": "زمان صدور",
    "direction": "نوع",
    "received_on": "تاریخ دریافت",
    "method": "روش پرداخت",
    "reference": "شماره پیگیری",
    "cheque_number": "شماره چک",
    "cheque_bank": "بانک",
    "cheque_due": "سررسید چک",
    "cheque_sayad": "شناسه صیادی",
    "cheque_branch": "شعبه",
    "cheque_state": "وضعیت چک",
    "valid_from": "از تاریخ",
    "rate": "نرخ",
}.items():
    FIELD.setdefault(_field, _label)

# Identities: categories, tags, merges (issue 4).
for _table, _label in {
    "categories": "دسته‌بندی",
    "tags": "برچسب",
    "merges": "ادغام",
    "saved_searches": "علاقه‌مندی",
    "identity_tags": "برچسب",
    # Link rows (app.models.LinkRow) in a record's history.
    "opportunity_tags": "برچسب",
    "opportunity_competitors": "رقیب",
}.items():
    TABLE.setdefault(_table, _label)
AUDIT_ACTION.setdefault("merge", "ادغام")
AUDIT_ACTION.setdefault("unmerge", "بازگرداندن ادغام")
AUDIT_ACTION.setdefault("assign", "تخصیص")  # by a rule (app.services.admin.assignment)
for _field, _label in {
    "category_id": "دسته‌بندی",
    "source_id": "منبع",
    "tag_id": "برچسب",
    "competitor_id": "رقیب",
    "parent_id": "دسته‌بندی بالاتر",
    "kind": "نوع",
    "assignment": "تخصیص براساس قانون",
}.items():
    FIELD.setdefault(_field, _label)

_ENUM_TABLES = {
    type(next(iter(table))): table
    for table in (
        ROLE,
        KIND,
        PHONE_KIND,
        OPPORTUNITY_STATUS,
        ACTIVITY_KIND,
        ACTIVITY_STATE,
        ACCESS_LEVEL,
        BUYING_PROCESS,
        REASON_KIND,
        CUSTOM_FIELD_KIND,
        NEXT_ACTIVITY_MODE,
        DELAY_UNIT,
        DELAY_FROM,
        QUOTE_STATE,
        DOCUMENT_STATE,
        SETTLEMENT,
        BUYER_TYPE,
        PAYMENT_METHOD,
        MONEY_DIRECTION,
        PAYMENT_STATUS,
        CHEQUE_STATE,
    )
}


def enum_label(value) -> str:
    """The Persian name of an enumeration value named above (else its stored value)."""
    return _ENUM_TABLES.get(type(value), {}).get(value, str(getattr(value, "value", value)))


def field_label(field: str, table: str | None = None) -> str:
    """A field's Persian name: from its aggregate's field table when it has one (the same name can mean
    different things, e.g. type_id of an opportunity and of an activity), else the shared names above."""
    from app.services.identities.fields import IDENTITY_FIELDS
    from app.services.opportunities.fields import OPPORTUNITY_FIELDS

    tables = {"identities": IDENTITY_FIELDS, "opportunities": OPPORTUNITY_FIELDS}
    for spec in tables.get(table or "", ()):
        if spec.name == field:
            return spec.label
    return FIELD.get(field, field)


# Contracts (issue 19).
TABLE.update(
    {
        "contracts": "قرارداد",
        "contract_lines": "ردیف قرارداد",
        "contract_instalments": "قسط قرارداد",
        "instalment_allocations": "تخصیص به قسط",
    }
)
for _field, _label in {
    "start_date": "تاریخ شروع",
    "end_date": "تاریخ پایان",
    "due_date": "سررسید",
    "contract_id": "قرارداد",
    "instalment_id": "قسط",
}.items():
    FIELD.setdefault(_field, _label)
