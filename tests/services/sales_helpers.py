"""Small builders for the opportunity, board and product tests (not a test module)."""

from __future__ import annotations

import decimal
from dataclasses import dataclass, replace

from app.models import AccessLevel, Identity, IdentityKind, SalesTeam, User
from app.persian import search_key
from app.services.catalog.products import ProductData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.registry import Services
from app.services.opportunities.data import OpportunityData
from app.services.opportunities.sales_lists import ensure_sales_defaults


@dataclass
class Sales:
    services: Services
    admin: Actor
    rep: Actor  # own documents, in the team
    mate: Actor  # own documents, same team
    leader: Actor  # own documents, leads the team
    other: Actor  # own documents, no team
    stages: list  # StageRow of the default pipeline
    customer: object  # identity id, owned by rep
    products: dict  # code -> product id

    def stage(self, name: str):
        return next(st for st in self.stages if st.name == name)

    def reason(self, kind: str, name: str | None = None):
        items = self.services.sales_lists.items(self.admin, kind)
        return next(i.id for i in items if name is None or i.name == name)

    def new(self, actor: Actor | None = None, **values):
        actor = actor or self.rep
        data = OpportunityData(identity_id=values.pop("identity_id", self.customer), title=values.pop("title", "فروش"))
        data = replace(data, **values)
        return self.services.opportunity_records.create(actor, data)


def user(s, login: str, level: AccessLevel = AccessLevel.OWN_DOCUMENTS, team_id=None) -> Actor:
    u = User(login=login, display_name=login.replace("_", " "), access_level=level, team_id=team_id)
    s.add(u)
    s.flush()
    return Actor(u.id, login, u.display_name, level)


def identity(services: Services, owner: Actor, name: str):
    with services.db.write(SYSTEM) as s:
        person = Identity(
            kind=IdentityKind.PERSON, display_name=name, name_key=search_key(name), owner_id=owner.user_id
        )
        s.add(person)
        s.flush()
        return person.id


def build(services: Services) -> Sales:
    admin = services.users.ensure_admin()
    ensure_sales_defaults(services.db)
    with services.db.write(SYSTEM) as s:
        leader = user(s, "leader")
        team = SalesTeam(name="تیم فروش تهران", leader_id=leader.user_id)
        s.add(team)
        s.flush()
        rep = user(s, "rep_one", team_id=team.id)
        mate = user(s, "rep_two", team_id=team.id)
        other = user(s, "rep_three")
    customer = identity(services, rep, "شرکت آلفا")
    products = {}
    for code, name, price in (("P-1", "پرینتر لیزری", 185_000_000), ("C-2", "کابل شبکه", 180_000)):
        data = ProductData(code=code, name=name, default_price=price, on_hand=decimal.Decimal(40))
        products[code] = services.products.save(admin, data)
    stages = list(services.pipelines.pipelines(admin)[0].stages)
    return Sales(services, admin, rep, mate, leader, other, stages, customer, products)
