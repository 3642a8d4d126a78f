"""Demo products and opportunities in every stage, some won and lost with reasons."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import Opportunity, OpportunityStatus, Product, ProductGroup, utcnow
from app.persian import search_key, to_persian_digits
from app.services.actor import SYSTEM
from app.services.demo.context import DemoContext, stamp
from app.services.demo.vocabulary import PRODUCTS, STAGES
from app.services.pipelines import ensure_default_pipeline


def add_catalog(ctx: DemoContext) -> None:
    ctx.stages = ensure_default_pipeline(ctx.db)
    with ctx.db.write(SYSTEM) as s:
        if s.scalar(select(Product.id).limit(1)) is not None:
            ctx.counts["products"] = 0
            return
        for group_name, items in PRODUCTS.items():
            group = ProductGroup(name=group_name)
            s.add(group)
            s.flush()
            for code, name, unit, price, is_service in items:
                s.add(
                    Product(
                        code=code,
                        name=name,
                        name_key=search_key(name),
                        group_id=group.id,
                        unit=unit,
                        default_price=price,
                        is_service=is_service,
                        track_stock=not is_service,
                        on_hand=0 if is_service else ctx.rnd.randint(5, 500),
                    )
                )
    ctx.counts["products"] = sum(len(items) for items in PRODUCTS.values())


def add_opportunities(ctx: DemoContext) -> None:
    rnd, today, now = ctx.rnd, dt.date.today(), utcnow()
    rows = []
    for i in range(ctx.opportunities):
        stage = ctx.stages[i % len(ctx.stages)]
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
        if status is not OpportunityStatus.OPEN:
            row["closed_on"] = today - dt.timedelta(days=rnd.randint(1, 60))
            reasons = STAGES.win_reasons if status is OpportunityStatus.WON else STAGES.loss_reasons
            row["close_reason"] = rnd.choice(reasons)
        rows.append(row)
    ctx.insert(Opportunity, rows)
    ctx.opportunity_rows = rows
    ctx.counts["opportunities"] = len(rows)
