"""Demo products, price lists and opportunities: open ones in every stage, won and lost ones closed
over the last 12 months after a real sales cycle, with product lines, sources, campaigns, competitors
and reasons from the admin's lists."""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import math
import random
from dataclasses import dataclass

from sqlalchemy import select

from app.models import (
    CloseReason,
    IdentityRole,
    Opportunity,
    OpportunityCompetitor,
    OpportunityLine,
    OpportunityStatus,
    PriceList,
    PriceListItem,
    Product,
    ProductGroup,
    new_id,
)
from app.models.enums import ReasonKind
from app.persian import search_key, to_persian_digits
from app.services.core.actor import SYSTEM
from app.services.demo.context import DemoContext, stamp
from app.services.demo.vocabulary import PRODUCTS, STAGES
from app.services.opportunities.data import line_total
from app.services.opportunities.pipelines import ensure_default_pipeline
from app.services.opportunities.sales_lists import ensure_sales_defaults

PRICE_LISTS = (("خرده‌فروشی", True, 1.0), ("عمده‌فروشی", False, 0.92))
LINE_SHARE = 0.6  # opportunities that get product lines
MAX_QUANTITY = 60
OPEN_SHARE, WIN_RATE = 0.32, 0.3  # win rate among the closed ones
SAME_OWNER_SHARE = 0.9  # deals worked by their customer's own rep
YEAR_DAYS = 360  # closed deals fall in the last 12 Jalali months (and the current one)
# Deal sizes are log-normal in Rials: a median of 60 million Toman, a few hundred times that at the top.
MEDIAN_AMOUNT, AMOUNT_SIGMA, MIN_AMOUNT = 600_000_000, 1.1, 5_000_000
LOST_TO_RIVAL = "انتخاب رقیب"  # the default loss reason that names the competitor


def add_catalog(ctx: DemoContext) -> None:
    ensure_sales_defaults(ctx.db)
    ctx.stages = ensure_default_pipeline(ctx.db)
    with ctx.db.write(SYSTEM) as s:
        if s.scalar(select(Product.id).where(Product.is_other.is_(False)).limit(1)) is not None:
            ctx.counts["products"] = 0
            _remember_catalog(ctx, s)
            return
        for group_name, items in PRODUCTS.items():
            group = ProductGroup(name=group_name)
            s.add(group)
            s.flush()
            for code, name, unit, price, is_service in items:
                s.add(
                    Product(
                        code=code, name=name, name_key=search_key(name), group_id=group.id, unit=unit,
                        default_price=price, is_service=is_service, track_stock=not is_service,
                        on_hand=0 if is_service else ctx.rnd.randint(5, 500),
                    )
                )  # fmt: skip
        s.flush()
        products = s.scalars(select(Product).where(Product.is_other.is_(False))).all()
        for name, is_default, factor in PRICE_LISTS:
            price_list = PriceList(name=name, is_default=is_default)
            s.add(price_list)
            s.flush()
            for p in products:
                price = int(round(p.default_price * factor, -3)) if factor != 1.0 else p.default_price
                s.add(PriceListItem(price_list_id=price_list.id, product_id=p.id, price=price))
        _remember_catalog(ctx, s)
    ctx.counts["products"] = sum(len(items) for items in PRODUCTS.values())


def _remember_catalog(ctx: DemoContext, s) -> None:
    ctx.catalog = [
        (p.id, p.default_price, p.is_service) for p in s.scalars(select(Product).where(Product.is_other.is_(False)))
    ]
    reasons = s.execute(
        select(CloseReason.id, CloseReason.name, CloseReason.kind).where(CloseReason.deleted_at.is_(None))
    )
    ctx.reasons = {ReasonKind.WIN: [], ReasonKind.LOSS: []}
    for reason_id, name, kind in reasons:
        ctx.reasons[kind].append((reason_id, name))


def _lines(ctx: DemoContext, opportunity_id, amount: int, created: dt.datetime) -> tuple[list[dict], int]:
    """Up to three catalogue products whose quantities come close to the drawn amount: products that
    suit the deal's size (no 500 mice for a large order, no copier for a small one) when there are any."""
    share = amount / ctx.rnd.randint(1, 3)
    suited = [item for item in ctx.catalog if item[1] <= share <= item[1] * MAX_QUANTITY] or ctx.catalog
    rows, total, chosen = [], 0, ctx.rnd.sample(suited, min(len(suited), round(amount / share)))
    for position, (product_id, price, _is_service) in enumerate(chosen):
        quantity = decimal.Decimal(max(1, min(MAX_QUANTITY, round(share / price))))
        discount = ctx.rnd.choice([0, 0, 0, price // 20])
        rows.append(stamp(created, opportunity_id=opportunity_id, product_id=product_id, quantity=quantity,
                          unit_price=price, discount=discount, position=position))  # fmt: skip
        total += line_total(quantity, price, discount)
    return rows, total


@dataclass(frozen=True)
class Deal:
    """When a deal started and how it ended (closed None while open)."""

    status: OpportunityStatus
    created: dt.date
    closed: dt.date | None
    expected_close: dt.date


def _days(rnd: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return max(low, min(high, round(rnd.lognormvariate(math.log(median), sigma))))


def _statuses(count: int):
    """OPEN_SHARE of the deals open and WIN_RATE of the closed ones won, even in a small demo: each
    share is kept by counting (the deal's dates, customer and size are what is drawn at random)."""
    closed = 0
    for i in range(count):
        if int((i + 1) * OPEN_SHARE) > int(i * OPEN_SHARE):
            yield OpportunityStatus.OPEN
        else:
            closed += 1
            won = int(closed * WIN_RATE) > int((closed - 1) * WIN_RATE)
            yield OpportunityStatus.WON if won else OpportunityStatus.LOST


def plan_deal(rnd: random.Random, today: dt.date, status: OpportunityStatus) -> Deal:
    """Won and lost deals closed over the last 12 months after a real sales cycle (won ones take
    longer); open ones started recently, a few long forgotten; expected dates near the cycle's end."""
    if status is OpportunityStatus.OPEN:
        created = today - dt.timedelta(days=_days(rnd, 30, 0.9, 0, 330))
        expected = created + dt.timedelta(days=_days(rnd, 45, 0.5, 7, 180))
        return Deal(status, created, None, expected)
    won = status is OpportunityStatus.WON
    cycle = _days(rnd, 45, 0.6, 3, 200) if won else _days(rnd, 25, 0.8, 1, 200)
    closed = today - dt.timedelta(days=rnd.randint(0, YEAR_DAYS - cycle))
    created = closed - dt.timedelta(days=cycle)
    expected = created + dt.timedelta(days=_days(rnd, cycle, 0.3, 1, 240))
    return Deal(status, created, closed, expected)


def _at_office_hours(rnd: random.Random, day: dt.date) -> dt.datetime:
    """A moment in Tehran's working day, kept on the same UTC date (08:30-16:30 local)."""
    return dt.datetime.combine(day, dt.time(5 + rnd.randrange(8), rnd.randrange(60)), dt.UTC)


class _Customers:
    """Identities by role in the order they were entered: a deal's customer was entered before it."""

    def __init__(self, rows: list[tuple]) -> None:
        rows = sorted(rows, key=lambda r: r[3])
        self.customers = [r for r in rows if r[2] is IdentityRole.CUSTOMER] or rows
        self.prospects = [r for r in rows if r[2] is not IdentityRole.UNQUALIFIED] or rows
        self._created = {id(pool): [r[3] for r in pool] for pool in (self.customers, self.prospects)}

    def pick(self, rnd: random.Random, won: bool, before: dt.datetime) -> tuple:
        pool = self.customers if won else self.prospects
        known = bisect.bisect_right(self._created[id(pool)], before)
        return pool[rnd.randrange(known)] if known else pool[0]


def _choice(rnd: random.Random, items: list, share: float):
    return rnd.choice(items) if items and rnd.random() < share else None


def add_opportunities(ctx: DemoContext) -> None:
    rnd, today = ctx.rnd, ctx.today
    rows, lines, competitors = [], [], []
    customers, open_count = _Customers(ctx.identity_rows), 0
    rival_ids = ctx.lists.get("competitors", [])
    for status in _statuses(ctx.opportunities):
        deal = plan_deal(rnd, today, status)
        created = _at_office_hours(rnd, deal.created)
        identity_id, customer_owner, _role, _entered = customers.pick(
            rnd, deal.status is OpportunityStatus.WON, created
        )
        # As a rule the customer's own rep works the deal; now and then a colleague does.
        owner = customer_owner if rnd.random() < SAME_OWNER_SHARE else rnd.choice(ctx.owners)
        if deal.status is OpportunityStatus.OPEN:
            stage, open_count = ctx.stages[open_count % len(ctx.stages)], open_count + 1  # every stage
        elif deal.status is OpportunityStatus.WON:
            stage = ctx.stages[-1]
        else:  # lost: most give up early
            stage = rnd.choices(ctx.stages, weights=range(len(ctx.stages), 0, -1))[0]
        title = f"{rnd.choice(STAGES.titles)} {to_persian_digits(str(rnd.randint(2, 60)))} {rnd.choice(STAGES.units)}"
        amount = max(MIN_AMOUNT, round(rnd.lognormvariate(math.log(MEDIAN_AMOUNT), AMOUNT_SIGMA), -6))
        row = stamp(
            created,
            owner_id=owner,
            assigned_at=created,  # the owner from the start (days to assign count from the customer's arrival)
            team_id=ctx.team_of.get(owner),
            identity_id=identity_id,
            title=title,
            title_key=search_key(title),
            pipeline_id=stage["pipeline_id"],
            stage_id=stage["id"],
            status=deal.status,
            amount=amount,
            probability=stage["probability"],
            priority=rnd.randint(0, 3),
            expected_close=deal.expected_close,
            closed_on=deal.closed,
            source_id=_choice(rnd, ctx.lists.get("sources", []), 0.7),
            campaign_id=_choice(rnd, ctx.lists.get("campaigns", []), 0.25),
            medium_id=_choice(rnd, ctx.lists.get("media", []), 0.5),
            type_id=_choice(rnd, ctx.lists.get("types", []), 0.8),
            extra={},
        )
        if deal.closed is not None:  # the result was recorded on the day it closed
            row["updated_at"] = max(created, _at_office_hours(rnd, deal.closed))
        # A won deal has products: its accepted quote is made from them (documents.add_documents).
        if ctx.catalog and (deal.status is OpportunityStatus.WON or rnd.random() < LINE_SHARE):
            opp_lines, row["amount"] = _lines(ctx, row["id"], amount, created)
            lines += opp_lines
        rivals = rnd.sample(rival_ids, rnd.randint(1, 2)) if rival_ids and rnd.random() < 0.3 else []
        competitors += [{"id": new_id(), "opportunity_id": row["id"], "competitor_id": c} for c in rivals]
        if deal.status is not OpportunityStatus.OPEN:
            _close(ctx, row, rivals)
        rows.append(row)
    ctx.insert(Opportunity, rows, render_nulls=True)
    ctx.insert(OpportunityLine, lines)
    ctx.insert(OpportunityCompetitor, competitors)
    ctx.opportunity_rows = rows
    ctx.counts["opportunities"] = len(rows)


def _close(ctx: DemoContext, row: dict, rivals: list) -> None:
    rnd = ctx.rnd
    won = row["status"] is OpportunityStatus.WON
    reason_id, reason = rnd.choice(ctx.reasons[ReasonKind.WIN if won else ReasonKind.LOSS])
    row["close_reason_id"], row["close_reason"] = reason_id, reason
    if won:  # now and then the last round of bargaining took a few percent off
        row["won_amount"] = row["amount"] if rnd.random() < 0.7 else round(row["amount"] * 0.95, -5)
    elif reason == LOST_TO_RIVAL and ctx.lists.get("competitors"):
        row["lost_to_id"] = rivals[0] if rivals else rnd.choice(ctx.lists["competitors"])
