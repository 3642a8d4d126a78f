"""Realistic Persian sample data (`python -m app demo`): fast enough for 200,000 identities.

Rows are inserted in batches through SQLAlchemy's bulk INSERT; names come from pools drawn
once from Faker's fa_IR locale, so the cost per row is a few random choices.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker
from sqlalchemy import insert, select

from app.models import (
    AccessLevel,
    Activity,
    ActivityKind,
    ActivityState,
    Identity,
    IdentityAddress,
    IdentityEmail,
    IdentityKind,
    IdentityPhone,
    IdentityRole,
    Opportunity,
    OpportunityStatus,
    PhoneKind,
    Product,
    ProductGroup,
    User,
    new_id,
    utcnow,
)
from app.persian import normalize_text, search_key, to_persian_digits
from app.services.actor import SYSTEM
from app.services.database import Database
from app.services.demo_data import CITIES, PRODUCTS, REPS, STAGES, national_code_for
from app.services.pipelines import ensure_default_pipeline

BATCH = 5_000
Progress = Callable[[int, int, str], None]


@dataclass
class DemoResult:
    identities: int
    opportunities: int
    activities: int
    products: int


class _Pools:
    def __init__(self, rnd: random.Random) -> None:
        fake = Faker("fa_IR")
        fake.seed_instance(rnd.randint(0, 10**6))
        latin = Faker("en_US")
        latin.seed_instance(rnd.randint(0, 10**6))
        self.first = sorted({normalize_text(fake.first_name()) for _ in range(2000)})
        self.last = sorted({normalize_text(fake.last_name()) for _ in range(2000)})
        # Faker sometimes gives a bare number as a company; a name needs at least one letter.
        companies = {normalize_text(fake.company()) for _ in range(3000)}
        self.companies = sorted(c for c in companies if any(ch.isalpha() for ch in c))
        self.streets = [normalize_text(fake.street_address()) for _ in range(500)]
        self.users = [latin.user_name() for _ in range(500)]


def _stamp(now: dt.datetime, owner) -> dict:
    return {
        "id": new_id(),
        "created_at": now,
        "updated_at": now,
        "version": 1,
        "owner_id": owner,
    }


class DemoBuilder:
    def __init__(self, db: Database, seed: int = 1405, progress: Progress | None = None) -> None:
        self._db = db
        self._rnd = random.Random(seed)
        self._progress = progress or (lambda done, total, message: None)

    def run(self, identities: int = 500, opportunities: int = 150) -> DemoResult:
        """Adds sample users, products, identities, opportunities and activities. Writes."""
        rnd = self._rnd
        pools = _Pools(rnd)
        reps = self._reps()
        stages = ensure_default_pipeline(self._db)
        products = self._products()
        ids = self._identities(identities, pools, reps)
        opps = self._opportunities(opportunities, ids, reps, stages)
        activities = self._activities(ids, opps, reps)
        return DemoResult(len(ids), len(opps), activities, products)

    def _reps(self) -> list:
        with self._db.write(SYSTEM) as s:
            users = list(s.scalars(select(User).where(User.is_active.is_(True))))
            known = {u.login for u in users}
            for login, name in REPS:
                if login not in known:
                    user = User(
                        login=login,
                        display_name=name,
                        access_level=AccessLevel.OWN_DOCUMENTS,
                    )
                    s.add(user)
                    users.append(user)
            s.flush()
            return [u.id for u in users]

    def _products(self) -> int:
        with self._db.write(SYSTEM) as s:
            if s.scalar(select(Product.id).limit(1)) is not None:
                return 0
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
                            on_hand=0 if is_service else self._rnd.randint(5, 500),
                        )
                    )
            return sum(len(items) for items in PRODUCTS.values())

    def _insert(self, model, rows: list[dict]) -> None:
        if rows:
            with self._db.write(SYSTEM) as s:
                s.execute(insert(model), rows)

    def _identities(self, count: int, pools: _Pools, reps: list) -> list:
        rnd, ids = self._rnd, []
        roles = (
            [IdentityRole.LEAD] * 3
            + [IdentityRole.CONTACT] * 4
            + [IdentityRole.CUSTOMER] * 2
            + [IdentityRole.UNQUALIFIED]
        )
        for start in range(0, count, BATCH):
            people, phones, emails, addresses = [], [], [], []
            now = utcnow()
            for i in range(start, min(start + BATCH, count)):
                row = _stamp(now - dt.timedelta(minutes=count - i), rnd.choice(reps))
                if rnd.random() < 0.7:
                    first, last = rnd.choice(pools.first), rnd.choice(pools.last)
                    row.update(
                        kind=IdentityKind.PERSON,
                        first_name=first,
                        last_name=last,
                        display_name=f"{first} {last}",
                        national_code=national_code_for(rnd),
                    )
                else:
                    name = rnd.choice(pools.companies)
                    row.update(kind=IdentityKind.ORGANISATION, org_name=name, display_name=name)
                row.update(role=rnd.choice(roles), name_key=search_key(row["display_name"]))
                people.append(row)
                mobile = "09" + "".join(rnd.choices("0123456789", k=9))
                phones.append(
                    self._child(
                        row,
                        now,
                        kind=PhoneKind.MOBILE,
                        number=mobile,
                        number_key=mobile,
                    )
                )
                province, city = rnd.choice(CITIES)
                addresses.append(
                    self._child(
                        row,
                        now,
                        province=province,
                        city=city,
                        street=rnd.choice(pools.streets),
                    )
                )
                if rnd.random() < 0.5:
                    emails.append(self._child(row, now, email=f"{rnd.choice(pools.users)}{i}@example.ir"))
                ids.append(row["id"])
            self._insert(Identity, people)
            self._insert(IdentityPhone, phones)
            self._insert(IdentityAddress, addresses)
            self._insert(IdentityEmail, emails)
            self._progress(len(ids), count, "هویت‌ها")
        return ids

    @staticmethod
    def _child(parent: dict, now: dt.datetime, **values) -> dict:
        return {
            "id": new_id(),
            "identity_id": parent["id"],
            "created_at": now,
            "updated_at": now,
            "version": 1,
            **values,
        }

    def _opportunities(self, count: int, ids: list, reps: list, stages: list) -> list[dict]:
        rnd, rows, today = self._rnd, [], dt.date.today()
        now = utcnow()
        for i in range(count):
            stage = stages[i % len(stages)]
            status = rnd.choices(list(OpportunityStatus), weights=[75, 15, 10])[0]
            count_text = to_persian_digits(str(rnd.randint(2, 60)))
            title = f"{rnd.choice(STAGES.titles)} {count_text} {rnd.choice(STAGES.units)}"
            row = _stamp(now, rnd.choice(reps))
            row.update(
                identity_id=rnd.choice(ids),
                title=title,
                title_key=search_key(title),
                pipeline_id=stage["pipeline_id"],
                stage_id=stage["id"],
                status=status,
                amount=rnd.randint(5, 2_000) * 1_000_000,
                probability=stage["probability"],
                priority=rnd.randint(0, 3),
                expected_close=today + dt.timedelta(days=rnd.randint(-20, 90)),
            )
            if status is not OpportunityStatus.OPEN:
                row["closed_on"] = today - dt.timedelta(days=rnd.randint(1, 60))
                reasons = STAGES.win_reasons if status is OpportunityStatus.WON else STAGES.loss_reasons
                row["close_reason"] = rnd.choice(reasons)
            rows.append(row)
        for start in range(0, len(rows), BATCH):
            self._insert(Opportunity, rows[start : start + BATCH])
        return rows

    def _activities(self, ids: list, opps: list[dict], reps: list) -> int:
        """Activities due yesterday, today and next week, plus done ones with results."""
        rnd, rows, now = self._rnd, [], utcnow()
        local_now = dt.datetime.now().astimezone()
        open_opps = [o for o in opps if o["status"] is OpportunityStatus.OPEN]
        # Every user gets a few activities due today, so each cardboard has something to show.
        targets = [(o, o["owner_id"]) for o in open_opps] + [(None, rep) for rep in reps for _ in range(4)]
        for opp, assignee in targets:
            if opp is not None and rnd.random() < 0.2:
                continue  # an open opportunity with nothing planned: the "warning" state
            day_offset = rnd.choice([-1, 0, 0, 1, 3, 7]) if opp else 0
            due = (local_now + dt.timedelta(days=day_offset)).replace(
                hour=rnd.randint(8, 18),
                minute=rnd.choice([0, 15, 30, 45]),
                second=0,
                microsecond=0,
            )
            kind = rnd.choice(
                [
                    ActivityKind.CALL,
                    ActivityKind.MEETING,
                    ActivityKind.REMINDER,
                    ActivityKind.TASK,
                ]
            )
            done = opp is not None and rnd.random() < 0.3
            rows.append(
                {
                    "id": new_id(),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "identity_id": opp["identity_id"] if opp else rnd.choice(ids),
                    "opportunity_id": opp["id"] if opp else None,
                    "kind": kind,
                    "summary": rnd.choice(STAGES.activity_summaries[kind]),
                    "due_at": due.astimezone(dt.UTC),
                    "assignee_id": assignee,
                    "state": ActivityState.DONE if done else ActivityState.PLANNED,
                    "result": rnd.choice(STAGES.results) if done else None,
                    "done_at": due.astimezone(dt.UTC) if done else None,
                }
            )
        for start in range(0, len(rows), BATCH):
            self._insert(Activity, rows[start : start + BATCH])
        return len(rows)
