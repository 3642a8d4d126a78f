"""A small office for the visibility tests (tests/services/test_visibility.py): reps whose own records sit
on a colleague's customers, followed records, a team and its leader, activities due today, documents.

`expected` says, by the documented rule (docs/access.md), which records each user must see listed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from app.models import (
    AccessLevel,
    Activity,
    ActivityKind,
    Contract,
    ContractInstalment,
    Follower,
    Identity,
    IdentityKind,
    IdentityPhone,
    Invoice,
    Opportunity,
    Quote,
    Receipt,
    SalesReturn,
    SalesTeam,
    User,
)
from app.models.enums import ChequeState, DocumentState, PaymentMethod, QuoteState
from app.persian import search_key
from app.services.core.actor import SYSTEM, Actor
from app.services.opportunities.pipelines import ensure_default_pipeline

# Noon UTC today: every "due today" question is asked at this moment, in UTC days.
NOW = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
LEVELS = {
    "admin": AccessLevel.ADMIN,
    "clerk": AccessLevel.ALL_DOCUMENTS,
    "rep_a": AccessLevel.OWN_DOCUMENTS,  # member of the leader's team
    "rep_b": AccessLevel.OWN_DOCUMENTS,
    "leader": AccessLevel.OWN_DOCUMENTS,  # leads rep_a's team
}
FOLLOWS = {"rep_a": ("identity_f", "opportunity_b_followed", "activity_b_followed")}


@dataclass
class Record:
    table: str
    owner: str  # login of the owner (the assignee of an activity)
    identity: str | None = None  # the record's identity (a name in World.records)
    opportunity: str | None = None  # an activity's opportunity


@dataclass
class World:
    actors: dict[str, Actor]
    ids: dict[str, uuid.UUID]  # record name -> id
    records: dict[str, Record] = field(default_factory=dict)

    def owners(self, login: str) -> set[str]:
        return {"rep_a", "leader"} if login == "leader" else {login}

    def sees(self, login: str, name: str) -> bool:
        """The access rule: all for admin/all-documents users; else owned by the user (or the team
        they lead), followed, or (an activity) on an identity they may see."""
        if LEVELS[login] is not AccessLevel.OWN_DOCUMENTS:
            return True
        record = self.records[name]
        if record.owner in self.owners(login) or name in FOLLOWS.get(login, ()):
            return True
        return record.table == "activities" and self.sees(login, record.identity)

    def expected(self, login: str, table: str) -> set[uuid.UUID]:
        return {self.ids[n] for n, r in self.records.items() if r.table == table and self.sees(login, n)}

    def assigned(self, login: str, logins: set[str] | None = None) -> set[uuid.UUID]:
        """Planned activities assigned to the user (or to any of `logins`), all due today."""
        who = logins or {login}
        return {self.ids[n] for n, r in self.records.items() if r.table == "activities" and r.owner in who}

    def owned(self, login: str, table: str) -> set[uuid.UUID]:
        return {self.ids[n] for n, r in self.records.items() if r.table == table and r.owner == login}

    def unplanned(self, login: str) -> set[uuid.UUID]:
        """The user's own open opportunities without a planned activity."""
        planned = {r.opportunity for r in self.records.values() if r.table == "activities"}
        return {self.ids[n] for n, r in self.records.items() if r.table == "opportunities" and r.owner == login
                and n not in planned}  # fmt: skip

    def activities_on(self, login: str, opportunity: str) -> set[uuid.UUID]:
        return {self.ids[n] for n, r in self.records.items() if r.opportunity == opportunity and self.sees(login, n)}


def _identity(name: str, owner: uuid.UUID) -> Identity:
    return Identity(
        kind=IdentityKind.PERSON,
        display_name=name,
        name_key=search_key(name),
        owner_id=owner,
        primary_mobile="09120000000",
    )


def build(db, suffix: str = "") -> World:
    """The office, written as the system. `suffix` keeps logins unique on a shared PostgreSQL server."""
    stage = ensure_default_pipeline(db)[0]
    world = World({}, {})
    add = world.records.__setitem__
    with db.write(SYSTEM) as s:
        for login, level in LEVELS.items():
            user = User(login=login + suffix, display_name=login, access_level=level)
            s.add(user)
            s.flush()
            world.actors[login] = Actor(user.id, user.login, login, level)
        uid = {login: actor.user_id for login, actor in world.actors.items()}
        team = SalesTeam(name="تیم شمال", leader_id=uid["leader"])
        s.add(team)
        s.flush()
        s.get(User, uid["rep_a"]).team_id = team.id

        def put(name: str, obj, record: Record) -> None:
            s.add(obj)
            s.flush()
            world.ids[name] = obj.id
            add(name, record)

        identities = (
            ("identity_a", "rep_a"),
            ("identity_b", "rep_b"),
            ("identity_f", "rep_b"),
            ("identity_c", "rep_b"),
        )
        for name, owner in identities:  # identity_c: rep_b's, with nothing of anyone else's on it
            put(name, _identity(f"مشتری {name[-1]}", uid[owner]), Record("identities", owner))
            s.add(IdentityPhone(identity_id=world.ids[name], number="09120000000", number_key="09120000000"))
        opportunities = (
            ("opportunity_a_on_b", "rep_a", "identity_b"),  # a rep's own deal with a colleague's customer
            ("opportunity_a", "rep_a", "identity_a"),
            ("opportunity_b", "rep_b", "identity_b"),
            ("opportunity_b_followed", "rep_b", "identity_b"),
            ("opportunity_leader_on_b", "leader", "identity_b"),
        )
        for name, owner, identity in opportunities:
            title = f"فرصت {name}"
            opp = Opportunity(
                identity_id=world.ids[identity],
                title=title,
                title_key=search_key(title),
                pipeline_id=stage["pipeline_id"],
                stage_id=stage["id"],
                owner_id=uid[owner],
                amount=1_000_000,
                expected_close=NOW.date(),
            )
            put(name, opp, Record("opportunities", owner, identity))
        activities = (
            ("activity_a_on_b", "rep_a", "identity_b", "opportunity_a_on_b"),
            ("activity_a", "rep_a", "identity_a", None),
            ("activity_b", "rep_b", "identity_b", "opportunity_b"),
            ("activity_b_followed", "rep_b", "identity_b", None),
            ("activity_leader_on_b", "leader", "identity_b", "opportunity_leader_on_b"),
        )
        for name, owner, identity, opportunity in activities:
            activity = Activity(
                identity_id=world.ids[identity],
                opportunity_id=world.ids.get(opportunity),
                kind=ActivityKind.CALL,
                summary=f"تماس {name}",
                due_at=NOW - dt.timedelta(minutes=10),
                assignee_id=uid[owner],
            )
            put(name, activity, Record("activities", owner, identity, opportunity))
        for number, (owner, identity) in enumerate((("rep_a", "identity_b"), ("rep_b", "identity_b")), start=1):
            common = dict(identity_id=world.ids[identity], owner_id=uid[owner], issue_date=NOW.date(), fiscal_year=1405)
            quote = Quote(
                number=number, state=QuoteState.SENT, valid_until=NOW.date() + dt.timedelta(days=30), **common
            )
            put(f"quote_{owner}", quote, Record("quotes", owner, identity))
            invoice = Invoice(number=number, state=DocumentState.DRAFT, total=1000, **common)
            put(f"invoice_{owner}", invoice, Record("invoices", owner, identity))
            ret = SalesReturn(invoice_id=invoice.id, **common)
            put(f"return_{owner}", ret, Record("sales_returns", owner, identity))
            receipt = Receipt(  # a cheque still to collect: the cardboard's «چک‌های سررسید» lists it
                identity_id=world.ids[identity],
                owner_id=uid[owner],
                amount=500,
                received_on=NOW.date(),
                method=PaymentMethod.CHEQUE,
                cheque_number=str(number),
                cheque_bank="ملت",
                cheque_due=NOW.date(),
                cheque_state=ChequeState.RECEIVED,
            )
            put(f"receipt_{owner}", receipt, Record("receipts", owner, identity))
            day = NOW.date()
            contract = Contract(number=number, start_date=day, end_date=day, total=1000, **common)
            put(f"contract_{owner}", contract, Record("contracts", owner, identity))
            s.add(ContractInstalment(contract_id=contract.id, due_date=day, amount=1000))
        for login, names in FOLLOWS.items():
            for name in names:
                s.add(Follower(record_table=world.records[name].table, record_id=world.ids[name], user_id=uid[login]))
    with db.write(SYSTEM) as s:  # issued, unpaid: the cardboard's "awaiting payment" lists them
        for owner in ("rep_a", "rep_b"):
            s.get(Invoice, world.ids[f"invoice_{owner}"]).state = DocumentState.ISSUED
            s.get(Contract, world.ids[f"contract_{owner}"]).state = DocumentState.ISSUED  # its instalment is due
    return world
