"""Demo admin lists and teams: categories, sources, campaigns, media, competitors, and two sales teams
with a leader and a monthly target. Made through the admin services (as the system); a second demo run
reuses what is there by name."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.models import OpportunityStatus, User
from app.services.admin.teams import TeamData, TeamService
from app.services.core.actor import SYSTEM
from app.services.demo.context import DemoContext
from app.services.identities.categories import CategoryService
from app.services.opportunities.sales_lists import SalesListService

# parent -> children
CATEGORIES = {
    "مشتریان سازمانی": ["دولتی", "خصوصی"],
    "فروشگاه‌ها و نمایندگان": ["بنکدار", "خرده‌فروش"],
    "مصرف‌کننده نهایی": [],
}
LISTS = {
    "sources": ["معرفی مشتریان", "وب‌سایت", "نمایشگاه", "اینستاگرام", "تماس ورودی", "دیوار", "بازاریابی تلفنی"],
    "campaigns": ["نمایشگاه الکامپ", "جشنواره فروش نوروزی", "پیامک تخفیف پاییزه", "وبینار معرفی محصولات"],
    "media": ["تلفن", "پیامک", "ایمیل", "واتس‌اپ", "حضوری"],
    "competitors": ["رایان‌پردازان", "پارس‌کالا", "سپهر سیستم", "آسیا تک"],
}
# (team name, leader's login, members' logins); the demo reps (vocabulary.REPS).
TEAMS = [
    ("فروش سازمانی", "maryam", ("maryam", "reza")),
    ("فروش شهرستان‌ها", "sara", ("sara", "ali")),
]


def add_lists(ctx: DemoContext) -> None:
    categories = CategoryService(ctx.db)
    known = {(node.parent_id, node.name): node.id for node in categories.tree(SYSTEM)}
    for parent, children in CATEGORIES.items():
        parent_id = known.get((None, parent)) or categories.save(SYSTEM, parent).id
        ctx.categories.append(parent_id)
        for child in children:
            ctx.categories.append(known.get((parent_id, child)) or categories.save(SYSTEM, child, parent_id).id)
    lists = SalesListService(ctx.db)
    for kind, names in LISTS.items():
        present = {item.name: item.id for item in lists.items(SYSTEM, kind)}
        ctx.lists[kind] = [present.get(name) or lists.save_item(SYSTEM, kind, name) for name in names]
    ctx.lists["types"] = [item.id for item in lists.items(SYSTEM, "types")]  # the defaults


def add_teams(ctx: DemoContext) -> None:
    """Two teams of the demo reps; a rep's opportunities carry their team (ctx.team_of)."""
    teams = TeamService(ctx.db)
    with ctx.db.read(SYSTEM) as s:
        logins = dict(s.execute(select(User.login, User.id).where(User.is_active.is_(True))).all())
    existing = {team.name: team for team in teams.list_teams(SYSTEM)}
    for name, leader, members in TEAMS:
        if any(login not in logins for login in members):
            continue  # a rep was deactivated: leave the teams as the admin made them
        team = existing.get(name) or teams.create_team(
            SYSTEM, TeamData(name, logins[leader], tuple(logins[m] for m in members))
        )
        ctx.team_of.update(dict.fromkeys(team.member_ids, team.id))


def set_targets(ctx: DemoContext) -> None:
    """Each team's monthly target: a little above its average won amount per month, so some months
    reach it and some do not."""
    won: dict = defaultdict(int)
    for row in ctx.opportunity_rows:
        if row["status"] is OpportunityStatus.WON and row.get("team_id"):
            won[row["team_id"]] += row["won_amount"]
    teams = TeamService(ctx.db)
    for team in teams.list_teams(SYSTEM):
        if team.id in won and team.monthly_target == 0:
            target = round(won[team.id] / 12 * 1.15, -8)  # won over the last 12 months; whole 10 million Toman
            data = TeamData(team.name, team.leader_id, team.member_ids, int(target))
            teams.update_team(SYSTEM, team.id, data)
