"""Fields declared once: the identity and opportunity field tables feed history, merges and labels."""

from __future__ import annotations

import dataclasses

from app.models import Identity, Opportunity
from app.services.core.fields import MergeRule, merged_by
from app.services.core.labels import enum_label, field_label
from app.services.identities import merge as identity_merge
from app.services.identities.fields import IDENTITY_FIELDS
from app.services.identities.records import IdentityData
from app.services.identities.service import IdentityRow
from app.services.opportunities import merge as opportunity_merge
from app.services.opportunities.data import OpportunityData
from app.services.opportunities.fields import OPPORTUNITY_FIELDS
from app.services.opportunities.queries import OpportunityRow


def _names(cls) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def test_every_declared_field_exists_on_the_model_or_the_form_data() -> None:
    for table, model, data in (
        (IDENTITY_FIELDS, Identity, IdentityData),
        (OPPORTUNITY_FIELDS, Opportunity, OpportunityData),
    ):
        names = [spec.name for spec in table]
        assert len(names) == len(set(names))
        derived = {"weighted_amount", "monthly_recurring"}  # figures computed from the fields
        unknown = [n for n in names if not hasattr(model, n) and n not in _names(data) and n not in derived]
        assert unknown == []


def test_merges_take_their_fields_from_the_tables() -> None:
    assert identity_merge.FIELDS == merged_by(IDENTITY_FIELDS, MergeRule.CHOOSE)
    assert "first_name" in identity_merge.FIELDS and "phones" not in identity_merge.FIELDS
    assert set(opportunity_merge.FILLED) == {
        "type_id",
        "source_id",
        "campaign_id",
        "medium_id",
        "referrer_id",
        "expected_close",
        "buying_process",
        "recurring_amount",
        "recurring_plan_id",
    }


def test_list_columns_are_row_attributes() -> None:
    for table, row in ((IDENTITY_FIELDS, IdentityRow), (OPPORTUNITY_FIELDS, OpportunityRow)):
        keys = {spec.list_key for spec in table if spec.list_key}
        assert [k for k in keys if k not in _names(row) and not hasattr(row, k)] == []


def test_the_same_field_name_reads_by_its_record() -> None:
    assert field_label("type_id", "opportunities") == "نوع فرصت"
    assert field_label("type_id", "activities") == "نوع فعالیت"
    assert field_label("category_id", "identities") == "دسته‌بندی"


def test_enum_fields_show_persian_values() -> None:
    for spec in (*IDENTITY_FIELDS, *OPPORTUNITY_FIELDS):
        if spec.enum is not None:
            assert all(enum_label(value) != value.value for value in spec.enum), spec.name
