"""Demo users (reps) and identities with phones, e-mails and addresses, owned by the reps."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select, text

from app.migrations.raw_ddl import SEARCH_INSERT_ROWS, SEARCH_INSERT_TRIGGER
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
)
from app.persian import search_key
from app.services.admin import passwords
from app.services.core.actor import SYSTEM
from app.services.demo import names
from app.services.demo.context import BATCH, DemoContext, stamp
from app.services.demo.vocabulary import CITIES, REPS, national_code_for
from app.services.identities.search_index import blob_for

OPERATORS = "111133339024"  # the digit after 09 (090-094 and 099 are in use; 091x and 093x the most)
ADDRESS_POOL = 20_000
ROLES = [IdentityRole.LEAD] * 3 + [IdentityRole.CONTACT] * 4 + [IdentityRole.CUSTOMER] * 2 + [IdentityRole.UNQUALIFIED]


def add_users(ctx: DemoContext) -> None:
    """The sample reps, who log in with passwords.DEMO_PASSWORD; existing logins are left alone."""
    with ctx.db.write(SYSTEM) as s:
        users = list(s.scalars(select(User).where(User.is_active.is_(True))))
        known = set(s.scalars(select(User.login)))  # a deactivated rep keeps their login
        for login, name in REPS:
            if login not in known:
                password_hash = passwords.hash_password(passwords.DEMO_PASSWORD)
                user = User(
                    login=login, display_name=name, access_level=AccessLevel.OWN_DOCUMENTS, password_hash=password_hash
                )
                s.add(user)
                users.append(user)
        s.flush()
        ctx.user_ids = [u.id for u in users]
        # Customers and deals belong to the reps; the administrator only if there is no one else.
        ctx.owners = [u.id for u in users if u.access_level is not AccessLevel.ADMIN] or ctx.user_ids


@contextlib.contextmanager
def _search_index_rebuilt_at_the_end(db) -> Iterator[None]:
    """Bulk inserts skip the quick-search index's per-row trigger; filling it at the end is a quarter
    cheaper at 200,000 rows. The trigger is put back whatever happens."""
    if not db.is_sqlite:
        yield
        return
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS identities_search_ai")
    try:
        yield
    finally:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(SEARCH_INSERT_TRIGGER)
            # The rows' later updates met an index without them: it is filled again from the table.
            conn.exec_driver_sql("INSERT INTO identity_search(identity_search) VALUES ('delete-all')")
            conn.execute(text(SEARCH_INSERT_ROWS), {"last": 0})


def add_identities(ctx: DemoContext) -> None:
    with _search_index_rebuilt_at_the_end(ctx.db):
        _add_identities(ctx)


def _add_identities(ctx: DemoContext) -> None:
    rnd, count, now = ctx.rnd, ctx.identities, ctx.now
    sources, categories = ctx.lists.get("sources", []), ctx.categories
    organisations: list = []  # made so far: people work at them
    # Composed once and drawn from: cheaper than composing one per identity at 200,000.
    streets = [names.street_address(rnd) for _ in range(min(count, ADDRESS_POOL))]
    postal_codes = [names.postal_code(rnd) for _ in range(min(count, ADDRESS_POOL))]
    for start in range(0, count, BATCH):
        people, phones, emails, addresses = [], [], [], []
        for i in range(start, min(start + BATCH, count)):
            owner = rnd.choice(ctx.owners)
            # Entered over the last two years, most of them recently (an office that grows).
            created = now - dt.timedelta(days=730 * rnd.random() ** 1.5, minutes=rnd.randrange(1440))
            row = stamp(created, owner_id=owner, first_name=None, last_name=None, org_name=None,
                        title=None, national_code=None, organisation_id=None)  # fmt: skip
            if rnd.random() < 0.7:
                first, last, title, latin = names.person_name(rnd)
                row.update(kind=IdentityKind.PERSON, first_name=first, last_name=last, title=title,
                           display_name=f"{first} {last}", national_code=national_code_for(rnd))  # fmt: skip
                if organisations and rnd.random() < 0.3:
                    row["organisation_id"] = rnd.choice(organisations)
                email = f"{latin}{i}@example.ir"
            else:
                name, latin = names.company_name(rnd)
                row.update(kind=IdentityKind.ORGANISATION, org_name=name, display_name=name)
                organisations.append(row["id"])
                email = f"info.{latin}{i}@example.ir"
            # Every row has the same keys (sent with NULLs): the bulk INSERT sends a batch as one executemany
            # instead of one per run of people or organisations (a round trip each on PostgreSQL).
            row.update(
                role=rnd.choice(ROLES),
                name_key=search_key(row["display_name"]),
                category_id=rnd.choice(categories) if categories and rnd.random() < 0.7 else None,
                source_id=rnd.choice(sources) if sources and rnd.random() < 0.6 else None,
            )
            # Operator prefixes in use are 090-094 and 099 (app.persian.validators.mobile).
            mobile = f"09{rnd.choice(OPERATORS)}{rnd.randrange(10**8):08d}"
            phones.append(
                stamp(created, identity_id=row["id"], kind=PhoneKind.MOBILE, number=mobile, number_key=mobile)
            )
            province, city = rnd.choice(CITIES)
            postal = rnd.choice(postal_codes) if rnd.random() < 0.7 else None
            addresses.append(stamp(created, identity_id=row["id"], province=province, city=city,
                                   street=rnd.choice(streets), postal_code=postal))  # fmt: skip
            if rnd.random() < 0.5:
                emails.append(stamp(created, identity_id=row["id"], email=email, email_key=email.casefold()))
            else:
                email = None
            # What the identity services keep on every write (app.services.identities.search_index).
            row.update(
                primary_city=city,
                primary_mobile=mobile,
                search_blob=blob_for(row, [mobile], [email] if email else []),
            )
            people.append(row)
            ctx.identity_rows.append((row["id"], owner, row["role"], created))
        ctx.insert(Identity, people, render_nulls=True)
        ctx.insert(IdentityPhone, phones)
        ctx.insert(IdentityAddress, addresses, render_nulls=True)
        ctx.insert(IdentityEmail, emails)
        ctx.identity_ids += [row["id"] for row in people]
        ctx.progress(len(ctx.identity_ids), count, "هویت‌ها")
    ctx.counts["identities"] = len(ctx.identity_ids)
