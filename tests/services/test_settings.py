"""Company details: validated field by field, admin only."""

from __future__ import annotations

import pytest

from app.models import AccessLevel
from app.services.admin.settings import CompanyInfo
from app.services.core.actor import Actor
from app.services.core.errors import AccessDenied, ValidationFailed


def test_first_run_until_company_saved(services, admin) -> None:
    assert services.settings.is_first_run()
    saved = services.settings.save_company(
        admin,
        CompanyInfo(
            name="شركت آلفا",
            economic_code="۴۱۱۳۳۷۸۹۴۱۵۹",
            national_id="10380284790",
            postal_code="۱۹۱۷۷-۶۳۹۱۳",
            phone="021-88001122",
            address="تهران، خيابان ولیعصر",
        ),
    )
    assert not services.settings.is_first_run()
    assert saved.name == "شرکت آلفا" and saved.economic_code == "411337894159"
    assert saved.postal_code == "1917763913" and saved.address == "تهران، خیابان ولیعصر"
    assert services.settings.company() == saved


def test_each_wrong_field_gets_its_own_message(services, admin) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.settings.save_company(
            admin, CompanyInfo(name=" ", national_id="10380284792", postal_code="12345", economic_code="12")
        )
    assert set(caught.value.errors) == {"name", "national_id", "postal_code", "economic_code"}
    assert all(message for message in caught.value.errors.values())
    assert services.settings.is_first_run()


def test_only_an_admin_changes_settings(services) -> None:
    rep = Actor(None, "rep", "کارشناس", AccessLevel.OWN_DOCUMENTS)
    with pytest.raises(AccessDenied):
        services.settings.save_company(rep, CompanyInfo(name="شرکت"))


def test_demo_prints_a_sample_seller_but_keeps_a_company_already_entered(services, admin) -> None:
    from app.services.demo import DemoBuilder
    from app.services.demo.documents import SAMPLE_COMPANY

    DemoBuilder(services.db, seed=3).run(identities=20, opportunities=5)
    assert services.settings.company().name == SAMPLE_COMPANY.name  # demo invoices have a seller
    ours = services.settings.save_company(admin, CompanyInfo(name="شرکت آلفا"))
    DemoBuilder(services.db, seed=4).run(identities=20, opportunities=5)
    assert services.settings.company() == ours
