"""Demo users (reps) and identities with phones, e-mails and addresses."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.models import (
    AccessLevel,
    Identity,
    IdentityAddress,
    IdentityEmail,
    IdentityKind,
    IdentityPhone,
    IdentityRole,
    PhoneKind,
    User,
    utcnow,
)
from app.persian import search_key
from app.services.actor import SYSTEM
from app.services.demo.context import BATCH, DemoContext, stamp
from app.services.demo.vocabulary import CITIES, REPS, national_code_for

ROLES = [IdentityRole.LEAD] * 3 + [IdentityRole.CONTACT] * 4 + [IdentityRole.CUSTOMER] * 2 + [IdentityRole.UNQUALIFIED]


def add_users(ctx: DemoContext) -> None:
    with ctx.db.write(SYSTEM) as s:
        users = list(s.scalars(select(User).where(User.is_active.is_(True))))
        known = {u.login for u in users}
        for login, name in REPS:
            if login not in known:
                user = User(login=login, display_name=name, access_level=AccessLevel.OWN_DOCUMENTS)
                s.add(user)
                users.append(user)
        s.flush()
        ctx.user_ids = [u.id for u in users]


def add_identities(ctx: DemoContext) -> None:
    rnd, pools, count = ctx.rnd, ctx.pools, ctx.identities
    for start in range(0, count, BATCH):
        people, phones, emails, addresses = [], [], [], []
        now = utcnow()
        for i in range(start, min(start + BATCH, count)):
            row = stamp(now - dt.timedelta(minutes=count - i), owner_id=rnd.choice(ctx.user_ids))
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
            row.update(role=rnd.choice(ROLES), name_key=search_key(row["display_name"]))
            mobile = "09" + "".join(rnd.choices("0123456789", k=9))
            phones.append(stamp(now, identity_id=row["id"], kind=PhoneKind.MOBILE, number=mobile, number_key=mobile))
            province, city = rnd.choice(CITIES)
            addresses.append(
                stamp(now, identity_id=row["id"], province=province, city=city, street=rnd.choice(pools.streets))
            )
            if rnd.random() < 0.5:
                emails.append(stamp(now, identity_id=row["id"], email=f"{rnd.choice(pools.users)}{i}@example.ir"))
            people.append(row)
        ctx.insert(Identity, people)
        ctx.insert(IdentityPhone, phones)
        ctx.insert(IdentityAddress, addresses)
        ctx.insert(IdentityEmail, emails)
        ctx.identity_ids += [row["id"] for row in people]
        ctx.progress(len(ctx.identity_ids), count, "هویت‌ها")
    ctx.counts["identities"] = len(ctx.identity_ids)
