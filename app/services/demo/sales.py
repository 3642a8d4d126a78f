"""Demo products, price lists and opportunities in every stage, with product lines; some won and
lost with reasons from the admin's lists."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import select

from app.models import (
    CloseReason,
    Opportunity,
    OpportunityLine,
    OpportunityStatus,
    PriceList,
    PriceListItem,
    Product,
    ProductGroup,
    utcnow,
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


def _lines(ctx: DemoContext, opportunity_id, now) -> tuple[list[dict], int]:
    rows, total = [], 0
    for position, (product_id, price, is_service) in enumerate(ctx.rnd.sample(ctx.catalog, ctx.rnd.randint(1, 3))):
        quantity = decimal.Decimal(ctx.rnd.randint(1, 40 if is_service else 25))
        discount = ctx.rnd.choice([0, 0, 0, price // 20])
        rows.append(stamp(now, opportunity_id=opportunity_id, product_id=product_id, quantity=quantity,
                          unit_price=price, discount=discount, position=position))  # fmt: skip
        total += line_total(quantity, price, discount)
    return rows, total


def add_opportunities(ctx: DemoContext) -> None:
    rnd, today, now = ctx.rnd, dt.date.today(), utcnow()
    rows, lines = [], []
    for i in range(ctx.opportunities):
        stage = ctx.stages[i % len(ctx.stages)]  # every stage
        status = rnd.choices(list(OpportunityStatus), weights=[75, 15, 10])[0]
        title = f"{rnd.choice(STAGES.titles)} {to_persian_digits(str(rnd.randint(2, 60)))} {rnd.choice(STAGES.units)}"
        row = stamp(
            now,
            owner_id=rnd.choice(ctx.user_ids),
            identity_id=rnd.choice(ctx.identity_ids),
            title=title,
            title_key=search_key(title),
            pipeline_id=stage["pipeline_id"],
            stage_id=stage["id"],
            status=status,
            amount=rnd.randint(5, 2_000) * 1_000_000,
            probability=stage["probability"],
            priority=rnd.randint(0, 3),
            expected_close=today + dt.timedelta(days=rnd.randint(-20, 90)),
            extra={},
        )
        if ctx.catalog and rnd.random() < LINE_SHARE:
            opp_lines, row["amount"] = _lines(ctx, row["id"], now)
            lines += opp_lines
        if status is not OpportunityStatus.OPEN:
            row["closed_on"] = today - dt.timedelta(days=rnd.randint(1, 60))
            kind = ReasonKind.WIN if status is OpportunityStatus.WON else ReasonKind.LOSS
            reason_id, reason = rnd.choice(ctx.reasons[kind])
            row["close_reason_id"], row["close_reason"] = reason_id, reason
            if status is OpportunityStatus.WON:
                row["won_amount"] = row["amount"]
        rows.append(row)
    ctx.insert(Opportunity, rows)
    ctx.insert(OpportunityLine, lines)
    ctx.opportunity_rows = rows
    ctx.counts["opportunities"] = len(rows)
