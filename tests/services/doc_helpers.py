"""Builders for the quote, invoice, return, receipt and balance tests (not a test module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from app.models import (
    AccessLevel,
    Identity,
    IdentityAddress,
    IdentityKind,
    IdentityPhone,
    Opportunity,
    OpportunityLine,
    PhoneKind,
    Product,
    User,
)
from app.persian import search_key
from app.services.core.actor import SYSTEM, Actor
from app.services.core.registry import Services
from app.services.documents.invoice_views import InvoiceDraft
from app.services.documents.lines import LineDraft
from app.services.opportunities.pipelines import ensure_default_pipeline

DAY = dt.date(2025, 11, 22)  # 1404/09/01: VAT 10%


@dataclass
class Office:
    services: Services
    admin: Actor
    rep: Actor
    other: Actor
    customer: object  # an organisation owned by rep, with address and phone
    person: object  # a person owned by rep
    products: dict  # code -> id


def add_user(s, login: str, level: AccessLevel = AccessLevel.OWN_DOCUMENTS) -> Actor:
    user = User(login=login, display_name=login, access_level=level)
    s.add(user)
    s.flush()
    return Actor(user.id, login, login, level)


def add_identity(s, owner: Actor, name: str, kind: IdentityKind = IdentityKind.PERSON, **values):
    identity = Identity(kind=kind, display_name=name, name_key=search_key(name), owner_id=owner.user_id, **values)
    s.add(identity)
    s.flush()
    return identity.id


def add_product(s, code: str, name: str, price: int, **values):
    product = Product(code=code, name=name, name_key=search_key(name), default_price=price, **values)
    s.add(product)
    s.flush()
    return product.id


def office(services: Services) -> Office:
    admin = services.users.ensure_admin()
    with services.db.write(SYSTEM) as s:
        rep = add_user(s, "rep")
        other = add_user(s, "other")
        customer = add_identity(
            s,
            rep,
            "فروشگاه لوازم اداری نگین",
            IdentityKind.ORGANISATION,
            legal_id="10380284790",
            economic_code="14004800101010",
            registration_no="452187",
        )
        s.add(IdentityAddress(identity_id=customer, province="اصفهان", city="اصفهان", street="چهارباغ عباسی",
                              postal_code="8136613699"))  # fmt: skip
        s.add(IdentityPhone(identity_id=customer, kind=PhoneKind.WORK, number="031-32221100", number_key="03132221100"))
        person = add_identity(s, rep, "علی‌رضا محمدی", national_code="0499370899")
        products = {
            "A": add_product(
                s, "A", "کالای نمونه الف", 1_250_000, on_hand=100, sstid="2710000138624", unit_code="1627"
            ),
            "S": add_product(s, "S", "خدمات نصب", 4_000_000, is_service=True, track_stock=False, unit="خدمت"),
            "X": add_product(s, "X", "کتاب درسی", 300_000, vat_exempt=True, on_hand=50),
        }
    return Office(services, admin, rep, other, customer, person, products)


def example_lines(office: Office) -> list[LineDraft]:
    """iran-rules.md §1.2's worked example: 8,470,000 Rial at 10%."""
    return [
        LineDraft("", Decimal(3), 1_250_000, 50_000, None, office.products["A"]),
        LineDraft("", Decimal(1), 4_000_000, 0, None, office.products["S"]),
    ]


def invoice_draft(office: Office, lines=None, day: dt.date = DAY, **values) -> InvoiceDraft:
    return InvoiceDraft(office.customer, day, lines if lines is not None else example_lines(office), **values)


def issued_invoice(office: Office, lines=None, actor: Actor | None = None, **values):
    actor = actor or office.rep
    draft = office.services.invoices.create(actor, invoice_draft(office, lines, **values))
    return office.services.invoices.issue(actor, draft.id)


def opportunity(office: Office, identity_id=None, owner: Actor | None = None, lines=()) -> object:
    stages = ensure_default_pipeline(office.services.db)
    owner = owner or office.rep
    with office.services.db.write(SYSTEM) as s:
        opp = Opportunity(
            identity_id=identity_id or office.customer,
            title="فروش تجهیزات",
            title_key=search_key("فروش تجهیزات"),
            pipeline_id=stages[0]["pipeline_id"],
            stage_id=stages[0]["id"],
            owner_id=owner.user_id,
        )
        s.add(opp)
        s.flush()
        for i, (product, qty, price, discount) in enumerate(lines):
            s.add(
                OpportunityLine(
                    opportunity_id=opp.id,
                    product_id=office.products[product],
                    quantity=Decimal(qty),
                    unit_price=price,
                    discount=discount,
                    position=i,
                )
            )
        return opp.id
