"""The opportunity's fields, declared once: label, enum, merge rule and list column (see core/fields.py)."""

from __future__ import annotations

from app.models.enums import BuyingProcess, OpportunityStatus
from app.services.core.fields import FieldSpec
from app.services.core.fields import MergeRule as M

OPPORTUNITY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "عنوان", list_key="title"),
    FieldSpec("identity_id", "هویت مرتبط", list_key="identity_name"),
    FieldSpec("stage_id", "مرحله", list_key="stage_name"),
    FieldSpec("pipeline_id", "کاریز"),
    FieldSpec("amount", "مبلغ", list_key="amount", list_label="مبلغ (ریال)"),
    FieldSpec("weighted_amount", "مبلغ وزنی", list_key="weighted_amount"),
    # The recurring pair moves together: both are empty or both set, so filling both fills the pair.
    FieldSpec("recurring_amount", "مبلغ تکرارشونده", merge=M.FILL),
    FieldSpec("recurring_plan_id", "طرح تکرارشونده", merge=M.FILL),
    FieldSpec(
        "monthly_recurring",
        "درآمد تکرارشونده ماهانه",
        list_key="monthly_recurring",
        list_label="تکرارشونده ماهانه (ریال)",
    ),
    FieldSpec("probability", "احتمال", list_key="probability"),
    FieldSpec("probability_manual", "احتمال دستی"),
    FieldSpec("priority", "اولویت", list_key="priority"),
    FieldSpec("owner_id", "مسئول", list_key="owner_name"),
    FieldSpec("expected_close", "تاریخ پیش‌بینی بستن", merge=M.FILL, list_key="expected_close"),
    FieldSpec("status", "وضعیت", OpportunityStatus, list_key="status"),
    FieldSpec("closed_on", "تاریخ نتیجه", list_key="closed_on"),
    FieldSpec("close_reason_id", "دلیل", list_key="close_reason"),
    FieldSpec("close_note", "یادداشت نتیجه"),
    FieldSpec("lost_to_id", "رقیب برنده"),
    FieldSpec("won_amount", "مبلغ نهایی"),
    FieldSpec("type_id", "نوع فرصت", merge=M.FILL),
    FieldSpec("source_id", "نحوه آشنایی", merge=M.FILL),
    FieldSpec("campaign_id", "کمپین", merge=M.FILL),
    FieldSpec("medium_id", "وسیله ارتباطی", merge=M.FILL),
    FieldSpec("referrer_id", "معرف", merge=M.FILL),
    FieldSpec("buying_process", "پروسه خرید", BuyingProcess, M.FILL),
    FieldSpec("price_list_id", "لیست قیمت"),
    FieldSpec("description", "توضیحات"),
    FieldSpec("extra", "مشخصات اضافه"),
    FieldSpec("tags", "برچسب‌ها", merge=M.COMBINE),
    FieldSpec("competitor_ids", "رقبا", merge=M.COMBINE),
    FieldSpec("lines", "اقلام", merge=M.COMBINE),
)
