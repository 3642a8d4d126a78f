"""The data set bench/reports.py times the reports over (not a bench itself).

40 reps in 4 teams, 10,000 identities in 10 cities created over the last year, the opportunities (half
open, a quarter won, a quarter lost, with sources, campaigns, close reasons and competitors), the
activities on them (planned, done, cancelled; due over the last 200 days and the next 60), and the
documents: quotes, invoices (most issued), returns of issued invoices, receipts and a few payments.

BENCH ONLY: the rows are plain multi-row INSERTs on one connection in one transaction, bypassing
`Database.write` and its change capture and journal (a write of 300,000 rows through the journal
would take minutes and time nothing the reports do). Nothing else may write this way.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from app.models import (
    AccessLevel,
    Activity,
    ActivityKind,
    ActivityState,
    Campaign,
    CloseReason,
    Competitor,
    Identity,
    IdentityKind,
    IdentityRole,
    Invoice,
    Opportunity,
    OpportunityStatus,
    Quote,
    Receipt,
    SalesReturn,
    SalesTeam,
    Source,
    User,
    new_id,
    utcnow,
)
from app.models.enums import DocumentState, MoneyDirection, PaymentMethod, QuoteState, ReasonKind
from app.persian import jalali
from app.services.core.actor import Actor
from app.services.core.registry import Services
from app.services.opportunities.pipelines import ensure_default_pipeline

BATCH = 5_000  # rows per INSERT statement (SQLite's and psycopg's parameter limits stay far away)
CITIES = ["تهران", "شیراز", "اصفهان", "تبریز", "مشهد", "کرج", "قم", "اهواز", "رشت", "یزد"]


def build(services: Services, opportunities: int, activities: int, documents: int, seed: int = 17) -> Actor:
    """Fills the database; returns an own-documents rep (who owns a fortieth of everything)."""
    rnd, now = random.Random(seed), utcnow()
    stages = ensure_default_pipeline(services.db)
    with services.db.engine.begin() as connection:  # BENCH ONLY: see the module's note

        def put(model, rows: list[dict]) -> list[dict]:
            for start in range(0, len(rows), BATCH):
                connection.execute(insert(model.__table__), rows[start : start + BATCH])
            return rows

        def stamp(at: dt.datetime, **values) -> dict:
            return {"id": new_id(), "created_at": at, "updated_at": at, "version": 1, **values}

        def named(model, names: list[str], **values) -> list:
            return [
                r["id"] for r in put(model, [stamp(now, name=n, position=i, **values) for i, n in enumerate(names)])
            ]

        def day_in_year() -> dt.datetime:
            return now - dt.timedelta(days=rnd.randint(0, 360), minutes=rnd.randint(0, 1440))

        teams = named(SalesTeam, [f"تیم {i}" for i in range(4)], monthly_target=5_000_000_000)
        users = put(
            User,
            [
                {
                    "id": new_id(),
                    "login": f"rep{i}",
                    "display_name": f"کارشناس {i}",
                    "team_id": teams[i % 4],
                    "access_level": AccessLevel.OWN_DOCUMENTS,
                }
                for i in range(40)
            ],
        )
        user_ids = [u["id"] for u in users]
        sources = named(Source, [f"منبع {i}" for i in range(6)])
        campaigns = named(Campaign, [f"کمپین {i}" for i in range(10)])
        wins = named(CloseReason, [f"دلیل برد {i}" for i in range(4)], kind=ReasonKind.WIN)
        losses = named(CloseReason, [f"دلیل باخت {i}" for i in range(4)], kind=ReasonKind.LOSS)
        competitors = named(Competitor, [f"رقیب {i}" for i in range(5)])
        identities = put(
            Identity,
            [
                stamp(
                    day_in_year(),
                    kind=IdentityKind.ORGANISATION,
                    display_name=f"شرکت {i}",
                    name_key=f"شرکت{i}",
                    owner_id=rnd.choice(user_ids),
                    role=rnd.choice(list(IdentityRole)),
                    search_blob="",
                    primary_city=rnd.choice(CITIES),
                )
                for i in range(10_000)
            ],
        )
        opps = []
        for i in range(opportunities):
            owner = users[i % len(users)]
            created = day_in_year()
            status = rnd.choices(list(OpportunityStatus), weights=[50, 25, 25])[0]
            closed = None if status is OpportunityStatus.OPEN else (created + dt.timedelta(days=rnd.randint(0, 90)))
            amount = rnd.randint(1, 2000) * 1_000_000
            reason = rnd.choice(wins if status is OpportunityStatus.WON else losses) if closed else None
            opps.append(
                stamp(
                    created,
                    identity_id=rnd.choice(identities)["id"],
                    title=f"فرصت {i}",
                    title_key=f"فرصت{i}",
                    pipeline_id=stages[0]["pipeline_id"],
                    stage_id=stages[i % len(stages)]["id"],
                    status=status,
                    amount=amount,
                    probability=rnd.choice((10, 30, 50, 70, 90)),
                    owner_id=owner["id"],
                    team_id=owner["team_id"],
                    source_id=rnd.choice(sources),
                    campaign_id=rnd.choice(campaigns),
                    expected_close=(now + dt.timedelta(days=rnd.randint(-30, 200))).date(),
                    closed_on=min(closed, now).date() if closed else None,
                    won_amount=amount if status is OpportunityStatus.WON else None,
                    close_reason_id=reason,
                    lost_to_id=rnd.choice(competitors) if status is OpportunityStatus.LOST else None,
                    extra={},
                )
            )
        put(Opportunity, opps)
        rows = []
        for i in range(activities):
            opp = rnd.choice(opps)
            state = rnd.choices(list(ActivityState), weights=[60, 35, 5])[0]
            due = now + dt.timedelta(minutes=rnd.randint(-200 * 24 * 60, 60 * 24 * 60))
            rows.append(
                stamp(
                    due,
                    identity_id=opp["identity_id"],
                    opportunity_id=opp["id"],
                    kind=rnd.choice(list(ActivityKind)),
                    summary=f"فعالیت {i}",
                    due_at=due,
                    assignee_id=opp["owner_id"],
                    state=state,
                    done_at=min(due, now) if state is ActivityState.DONE else None,
                )
            )
        put(Activity, rows)
        _documents(put, stamp, rnd, now, opps, documents)
    rep = users[0]
    return Actor(rep["id"], rep["login"], rep["display_name"], AccessLevel.OWN_DOCUMENTS)


def _documents(put, stamp, rnd: random.Random, now: dt.datetime, opps: list[dict], count: int) -> None:
    """3/10 quotes, 4/10 invoices (9 in 10 issued), 1/20 returns of issued invoices, 1/4 receipts (1 in 10
    a payment back), on the opportunities' customers by their owners, dated over the last year."""

    def header(opp: dict, number: int | None, **values) -> dict:
        day = (now - dt.timedelta(days=rnd.randint(0, 360))).date()
        amount = rnd.randint(1, 500) * 1_000_000
        return stamp(
            now,
            identity_id=opp["identity_id"],
            opportunity_id=opp["id"],
            owner_id=opp["owner_id"],
            number=number,
            fiscal_year=jalali.fiscal_year(day) if number else None,
            issue_date=day,
            total_before_discount=amount,
            total_after_discount=amount,
            total_vat=amount // 10,
            total=amount + amount // 10,
            **values,
        )

    quotes = [header(rnd.choice(opps), i + 1, state=rnd.choice(list(QuoteState))) for i in range(count * 3 // 10)]
    put(Quote, quotes)
    invoices = []
    for i in range(count * 4 // 10):
        issued = rnd.random() < 0.9
        state = DocumentState.ISSUED if issued else DocumentState.DRAFT
        invoices.append(header(rnd.choice(opps), i + 1 if issued else None, state=state))
    put(Invoice, invoices)
    issued = [v for v in invoices if v["state"] is DocumentState.ISSUED]
    returns = []
    for i in range(count // 20):
        invoice = rnd.choice(issued)
        opp = {"identity_id": invoice["identity_id"], "id": invoice["opportunity_id"], "owner_id": invoice["owner_id"]}
        back = header(opp, i + 1, state=DocumentState.ISSUED, invoice_id=invoice["id"])
        back["total_after_discount"] = invoice["total_after_discount"] // 4
        returns.append(back)
    put(SalesReturn, returns)
    receipts = []
    for i in range(count // 4):
        opp = rnd.choice(opps)
        direction = MoneyDirection.OUT if rnd.random() < 0.1 else MoneyDirection.IN
        day = (now - dt.timedelta(days=rnd.randint(0, 360))).date()
        receipts.append(
            stamp(
                now,
                identity_id=opp["identity_id"],
                opportunity_id=opp["id"],
                owner_id=opp["owner_id"],
                direction=direction,
                number=i + 1,
                fiscal_year=jalali.fiscal_year(day),
                received_on=day,
                amount=rnd.randint(1, 300) * 1_000_000,
                method=PaymentMethod.BANK_TRANSFER,
            )
        )
    put(Receipt, receipts)
