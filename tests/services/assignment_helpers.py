"""The office of the assignment tests (not a test module): a team of three reps and a front desk."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import AccessLevel, SalesTeam, Source
from app.services.admin.assignment_rules import RuleData
from app.services.core.actor import SYSTEM, Actor
from app.services.core.registry import Services
from app.services.identities.records import AddressData, IdentityData
from tests.services.sales_helpers import user


@dataclass
class Office:
    services: Services
    admin: Actor
    desk: Actor  # all documents, no team: enters everyone's leads
    ali: Actor  # own documents, the team's members in turn order
    sara: Actor
    reza: Actor
    team_id: object
    fair: object  # source «نمایشگاه»

    def rule(self, **values) -> object:
        data = RuleData(
            name=values.pop("name", "سرنخ‌های تهران"),
            member_ids=values.pop("member_ids", (self.ali.user_id, self.sara.user_id, self.reza.user_id)),
            **values,
        )
        return self.services.assignment_rules.save_rule(self.admin, self.team_id, None, data)

    def lead(self, name: str, actor: Actor | None = None, city: str = "تهران", **values):
        data = IdentityData(last_name=name, addresses=[AddressData(city=city)], **values)
        return self.services.identities.create(actor or self.desk, data, allow_duplicates=True)


def build(services: Services) -> Office:
    admin = services.users.ensure_admin()
    with services.db.write(SYSTEM) as s:
        team = SalesTeam(name="تیم تهران")
        fair = Source(name="نمایشگاه")
        s.add_all([team, fair])
        s.flush()
        desk = user(s, "desk", AccessLevel.ALL_DOCUMENTS)
        ali, sara, reza = (user(s, login, team_id=team.id) for login in ("ali", "sara", "reza"))
    return Office(services, admin, desk, ali, sara, reza, team.id, fair.id)
