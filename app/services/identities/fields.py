"""The identity's fields, declared once: label, enum, merge rule and list column (see core/fields.py)."""

from __future__ import annotations

from app.models.enums import IdentityKind, IdentityRole
from app.services.core.fields import FieldSpec
from app.services.core.fields import MergeRule as M

IDENTITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("display_name", "نام نمایشی", list_key="display_name", list_label="نام"),
    FieldSpec("kind", "نوع", IdentityKind, M.CHOOSE, list_key="kind"),
    FieldSpec("role", "نقش", IdentityRole, M.CHOOSE, list_key="role"),
    FieldSpec("title", "عنوان", merge=M.CHOOSE),
    FieldSpec("first_name", "نام", merge=M.CHOOSE),
    FieldSpec("last_name", "نام خانوادگی", merge=M.CHOOSE),
    FieldSpec("org_name", "نام سازمان", merge=M.CHOOSE),
    FieldSpec("national_code", "کد ملی", merge=M.CHOOSE, list_key="national_code"),
    FieldSpec("legal_id", "شناسه ملی", merge=M.CHOOSE),
    FieldSpec("economic_code", "کد اقتصادی", merge=M.CHOOSE, list_key="economic_code"),
    FieldSpec("registration_no", "شماره ثبت", merge=M.CHOOSE),
    FieldSpec("birth_date", "تاریخ تولد", merge=M.CHOOSE),
    FieldSpec("organisation_id", "سازمان", merge=M.CHOOSE),
    FieldSpec("website", "وب‌سایت", merge=M.CHOOSE),
    FieldSpec("category_id", "دسته‌بندی", merge=M.CHOOSE, list_key="category_name"),
    FieldSpec("source_id", "نحوه آشنایی", merge=M.CHOOSE, list_key="source_name"),
    FieldSpec("owner_id", "مسئول", merge=M.CHOOSE, list_key="owner_name"),
    FieldSpec("description", "توضیحات", merge=M.CHOOSE),
    FieldSpec("phones", "تلفن‌ها", merge=M.COMBINE, list_key="mobile", list_label="تلفن همراه"),
    FieldSpec("emails", "ایمیل‌ها", merge=M.COMBINE),
    FieldSpec("addresses", "نشانی‌ها", merge=M.COMBINE, list_key="city", list_label="شهر"),
    FieldSpec("tags", "برچسب‌ها", merge=M.COMBINE),
    FieldSpec("created_at", "تاریخ ایجاد", list_key="created_at"),
    FieldSpec("updated_at", "آخرین تغییر", list_key="updated_at"),
)
