"""The one access policy: every ORM query and every flush of a session goes through it.

A session opened by `Database.read(actor)` / `write(actor)` carries its actor. For a user with
"own documents only", every SELECT, UPDATE and DELETE of an owned model gets a filter in SQL
(`with_loader_criteria`), and every flush refuses changes to rows the user may not touch. Services
need not remember anything, so a new service cannot forget the rule.

- A model is *owned* when it declares `__owner_attr__` (the column naming its owner); it is
  visible to its owner, to the leader of any team the owner belongs to (their main team or another,
  `memberships`), and to the record's followers.
- A *child* declares `__access_parent__` (the foreign key to its parent): it follows the parent.
  A model with both (an activity) is visible through either.
- An *admin-managed* model (`__admin_managed__`: settings, lists, users) is readable by everyone
  and changed only by an administrator.
- A record's customer, read-only: a list of opportunities, activities or documents (a statement
  carrying the execution option CUSTOMERS, see `with_customers`) also reads the identities those
  visible rows point to, so a rep's own opportunity on a colleague's customer shows the customer's
  name and phone, is counted and is listed. The customer itself still neither opens (`fetch`), nor
  appears in the identity list, nor takes a change (the flush check). docs/access.md has the rule.
"""

from __future__ import annotations

import functools
import uuid

from sqlalchemy import ColumnElement, bindparam, event, inspect, or_, select, union
from sqlalchemy.orm import MANYTOONE, Session, with_loader_criteria

from app.models import Base, Follower, Identity, SalesTeam, TeamMember, User
from app.models.enums import AccessLevel
from app.services.core.actor import Actor
from app.services.core.errors import AccessDenied, NotFound

SKIP = "skip_access"  # execution option for the policy's own look-ups
CUSTOMERS = "customer_labels"  # execution option: also read the customers of visible rows (see with_customers)
_VISIBLE_KEY = "visible_owner_ids"
_CRITERIA_KEY = "access_criteria"  # session.info: (key, customers) -> the policy's loader criteria

DENIED_RECORD = "شما اجازه دسترسی به این رکورد را ندارید."
DENIED_LIST = "فقط مدیر می‌تواند تنظیمات، فهرست‌ها و کاربران را تغییر دهد."


def _mapped(attr: str) -> list[type]:
    return [m.class_ for m in Base.registry.mappers if getattr(m.class_, attr, None)]


OWNED: list[type] = _mapped("__owner_attr__")
CHILDREN: list[type] = _mapped("__access_parent__")
ADMIN_MANAGED: list[type] = _mapped("__admin_managed__")
GUARDED: list[type] = list(dict.fromkeys(OWNED + CHILDREN))
_BY_TABLE = {cls.__tablename__: cls for cls in GUARDED}
# The owned models' columns naming an identity (an opportunity's customer and referrer, an activity's or
# a document's identity): the rows behind them are what makes a colleague's customer readable.
CUSTOMER_REFERENCES: list[tuple[type, str]] = [
    (cls, column.key)
    for cls in OWNED
    if cls is not Identity
    for column in cls.__table__.columns
    if any(fk.column.table.name == Identity.__tablename__ for fk in column.foreign_keys)
]


def _parent_of(child: type) -> type:
    # SQLAlchemy's lambda analysis may pass a wrapper of the class, which inspect() refuses.
    child = _BY_TABLE.get(child.__tablename__, child)
    column = inspect(child).columns[child.__access_parent__]
    (fk,) = column.foreign_keys
    return _BY_TABLE[fk.column.table.name]


def is_restricted(actor: Actor | None) -> bool:
    return actor is not None and actor.access_level is AccessLevel.OWN_DOCUMENTS


def memberships():
    """(user_id, team_id) of every membership: a user's main team (users.team_id) and the teams they
    belong to besides it (team_members, seed 004 «مخاطب چندین تیم»). A subquery, for joins."""
    return union(
        select(User.id.label("user_id"), User.team_id.label("team_id")).where(User.team_id.is_not(None)),
        select(TeamMember.user_id.label("user_id"), TeamMember.team_id.label("team_id")),
    ).subquery("memberships")


@functools.cache
def _members_statement(team_column: str):
    """The members of the live teams whose `team_column` (leader_id, id) is :value; built once (building
    the union took most of an own-documents user's first look-up in a session)."""
    member = memberships()
    return (
        select(member.c.user_id)
        .join(SalesTeam, SalesTeam.id == member.c.team_id)
        .where(SalesTeam.deleted_at.is_(None), getattr(SalesTeam, team_column) == bindparam("value"))
        .execution_options(**{SKIP: True})
    )


def _team_members(session: Session, team_column: str, value) -> list[uuid.UUID]:
    """The members of the live teams whose `team_column` is `value` (whether it is their main team or not)."""
    return list(dict.fromkeys(session.scalars(_members_statement(team_column), {"value": value})))


def teams_of(session: Session, user_id: uuid.UUID | None) -> list[uuid.UUID]:
    """The live teams a user belongs to: their main team and any other."""
    member = memberships()
    return list(
        session.scalars(
            select(member.c.team_id)
            .join(SalesTeam, SalesTeam.id == member.c.team_id)
            .where(member.c.user_id == user_id, SalesTeam.deleted_at.is_(None))
            .execution_options(**{SKIP: True})
        )
    )


def visible_owner_ids(session: Session) -> list[uuid.UUID]:
    """The actor and, for a team leader, the team's members; cached for the session."""
    cached = session.info.get(_VISIBLE_KEY)
    if cached is None:
        actor: Actor = session.info["actor"]
        members = _team_members(session, "leader_id", actor.user_id)
        cached = session.info[_VISIBLE_KEY] = [actor.user_id, *members]
    return cached


# --- scopes: «من», «تیم من», one team (administrators), «همه» ---------------------------------------
SCOPE_ALL, SCOPE_MINE, SCOPE_TEAM = "all", "mine", "team"
TEAM_PREFIX = "team:"  # "team:<id>": one team, offered to administrators


def scope_owner_ids(session: Session, scope: str | None) -> list[uuid.UUID] | None:
    """The owners a list narrowed to `scope` shows (None: no narrowing); the policy still applies.

    «تیم من» is what the policy lets a leader see: the leader and the members of the teams they lead
    (a rep who leads none gets their own). One team ("team:<id>") is its leader and members; for an
    own-documents user it stays within their own «تیم من»."""
    actor: Actor = session.info["actor"]
    if scope in (None, SCOPE_ALL):
        return None
    if scope == SCOPE_MINE:
        return [actor.user_id]
    if scope == SCOPE_TEAM:
        return list(dict.fromkeys([actor.user_id, *_team_members(session, "leader_id", actor.user_id)]))
    if scope.startswith(TEAM_PREFIX):
        team_id = uuid.UUID(scope.removeprefix(TEAM_PREFIX))
        leader = session.scalar(
            select(SalesTeam.leader_id).where(SalesTeam.id == team_id).execution_options(**{SKIP: True})
        )
        owners = [o for o in dict.fromkeys([leader, *_team_members(session, "id", team_id)]) if o]
        return [o for o in owners if o in visible_owner_ids(session)] if is_restricted(actor) else owners
    raise ValueError(f"unknown scope {scope!r}")


def visible_clause(cls, owners: list[uuid.UUID], user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """SQL for "the actor may see this row": owned by a visible user, followed, or under a visible parent."""
    parts = []
    if getattr(cls, "__owner_attr__", None):
        followed = select(Follower.record_id).where(
            Follower.user_id == user_id, Follower.record_table == cls.__tablename__
        )
        parts += [getattr(cls, cls.__owner_attr__).in_(owners), cls.id.in_(followed)]
    if getattr(cls, "__access_parent__", None):
        parent = _parent_of(cls)
        parts.append(
            getattr(cls, cls.__access_parent__).in_(select(parent.id).where(visible_clause(parent, owners, user_id)))
        )
    return or_(*parts)


def customers_clause(cls, owners: list[uuid.UUID], user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """SQL for "this identity is named by a row the actor owns (or their team) or follows" (read-only
    visibility). On the plain tables: the policy's criteria would otherwise nest inside each subquery."""
    parts = []
    for owned, column in CUSTOMER_REFERENCES:
        table = owned.__table__
        followed = select(Follower.record_id).where(
            Follower.user_id == user_id, Follower.record_table == owned.__tablename__
        )
        mine = or_(table.c[owned.__owner_attr__].in_(owners), table.c.id.in_(followed))
        parts.append(cls.id.in_(select(table.c[column]).where(mine)))
    return or_(*parts)


def with_customers(statement):
    """The statement (a list of opportunities, activities or documents joining their identity) reading
    the customers of its visible rows too: their names and phones are shown beside the rows."""
    return statement.execution_options(**{CUSTOMERS: True})


def _criteria(cls, owners: list[uuid.UUID], user_id: uuid.UUID | None, customers: bool):
    if customers and cls is Identity:
        return with_loader_criteria(
            cls,
            lambda c: or_(visible_clause(c, owners, user_id), customers_clause(c, owners, user_id)),
            include_aliases=True,
        )
    return with_loader_criteria(cls, lambda c: visible_clause(c, owners, user_id), include_aliases=True)


def _apply_policy(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.execution_options.get(SKIP):
        return
    actor = state.session.info.get("actor")
    if not is_restricted(actor):
        return
    customers = state.is_select and bool(state.execution_options.get(CUSTOMERS))
    # Built once per session and kind: the same owners all along, and a criteria object per guarded
    # model per statement was most of an own-documents user's write.
    key = (_CRITERIA_KEY, customers)
    options = state.session.info.get(key)
    if options is None:
        owners = visible_owner_ids(state.session)
        options = state.session.info[key] = tuple(_criteria(cls, owners, actor.user_id, customers) for cls in GUARDED)
    state.statement = state.statement.options(*options)


def _follows(session: Session, cls: type, record_id) -> bool:
    actor: Actor = session.info["actor"]
    followed = select(Follower.id).where(
        Follower.user_id == actor.user_id, Follower.record_table == cls.__tablename__, Follower.record_id == record_id
    )
    return session.scalar(followed.execution_options(**{SKIP: True})) is not None


def _may_touch(session: Session, cls: type, record_id, owner=None, parent_id=None) -> bool:
    """Whether the actor may change a row with this owner and parent (stored or about to be)."""
    if getattr(cls, "__owner_attr__", None):
        if owner in visible_owner_ids(session) or (record_id is not None and _follows(session, cls, record_id)):
            return True
    if getattr(cls, "__access_parent__", None) and parent_id is not None:
        return _may_touch_stored(session, _parent_of(cls), parent_id)
    return False


def _may_touch_stored(session: Session, cls: type, record_id) -> bool:
    """Same question for a row by id: a row created in this session is the actor's own."""
    for obj in session.new:
        if isinstance(obj, cls) and obj.id == record_id:
            return True
    columns = [
        getattr(cls, getattr(cls, attr)) for attr in ("__owner_attr__", "__access_parent__") if getattr(cls, attr, None)
    ]
    row = session.execute(select(*columns).where(cls.id == record_id).execution_options(**{SKIP: True})).first()
    if row is None:
        return False
    values = dict(zip([c.key for c in columns], row, strict=True))
    owner = values.get(getattr(cls, "__owner_attr__", None))
    parent_id = values.get(getattr(cls, "__access_parent__", None))
    return _may_touch(session, cls, record_id, owner, parent_id)


def _committed(obj, attr: str):
    history = inspect(obj).attrs[attr].history
    return history.deleted[0] if history.deleted else getattr(obj, attr)


def _owner_and_parent(obj, committed: bool) -> tuple:
    cls = type(obj)
    read = _committed if committed else getattr
    owner_attr = getattr(cls, "__owner_attr__", None)
    parent_attr = getattr(cls, "__access_parent__", None)
    parent = read(obj, parent_attr) if parent_attr else None
    if parent is None and parent_attr and not committed:
        parent = pending_parent_id(obj, parent_attr)
    return (read(obj, owner_attr) if owner_attr else None, parent)


def pending_parent_id(obj, parent_attr: str):
    """A child added through its parent's collection (identity.phones.append) gets its foreign key only
    when the flush writes it: its parent is then the object on the other side of the relationship."""
    state = inspect(obj)
    column = state.mapper.columns[parent_attr]
    for rel in state.mapper.relationships:
        if rel.direction is MANYTOONE and column in rel.local_columns:
            parent = state.dict.get(rel.key)
            if parent is not None:
                return parent.id
    return None


def _check_flush(session: Session, _ctx, _instances) -> None:
    actor: Actor | None = session.info.get("actor")
    if actor is None or actor.is_admin:
        return
    touched = [*session.new, *session.dirty, *session.deleted]
    if any(isinstance(obj, tuple(ADMIN_MANAGED)) for obj in touched):
        raise AccessDenied(DENIED_LIST)
    if not is_restricted(actor):
        return
    for obj in touched:
        cls = type(obj)
        if cls in GUARDED:
            # Both the row as stored and the row as it will be must be the actor's to touch.
            allowed = _may_touch(session, cls, obj.id, *_owner_and_parent(obj, committed=False))
            if obj not in session.new:
                allowed = allowed and _may_touch(session, cls, obj.id, *_owner_and_parent(obj, committed=True))
            if not allowed:
                raise AccessDenied(DENIED_RECORD)
        elif cls is Follower:
            record_cls = _BY_TABLE[obj.record_table]
            shares = obj.user_id in visible_owner_ids(session) or obj.user_id in seers(
                session, record_cls, obj.record_id
            )
            if not shares or not _may_touch_stored(session, record_cls, obj.record_id):
                raise AccessDenied(DENIED_RECORD)


def may_change(session: Session, obj, owner: uuid.UUID | None = None) -> bool:
    """The flush check's rule asked ahead for a stored owned row: whether the actor may change it and,
    with `owner`, hand it to that user. A batch asks it per row so that it can name each refused row."""
    actor: Actor | None = session.info.get("actor")
    if not is_restricted(actor):
        return True
    cls = type(obj)
    stored_owner, parent_id = _owner_and_parent(obj, committed=True)
    allowed = _may_touch(session, cls, obj.id, stored_owner, parent_id)
    return allowed and (owner is None or _may_touch(session, cls, obj.id, owner, parent_id))


def may_own(session: Session, owner: uuid.UUID | None) -> bool:
    """The flush check's rule for a new owned row, asked by a write that bypasses the ORM: whether the
    actor may create a record owned by `owner` (a new record has no followers yet)."""
    return not is_restricted(session.info.get("actor")) or owner in visible_owner_ids(session)


def seers(session: Session, cls: type, record_id) -> set[uuid.UUID]:
    """The active users who see a record without following it: those of a level that sees everything,
    its owner, and the leaders of the owner's teams. An own-documents rep may add such a colleague as a
    follower (their team's members too, who see the record through following); no one else."""
    skip = {SKIP: True}
    seeing = set(
        session.scalars(
            select(User.id)
            .where(User.is_active, User.access_level != AccessLevel.OWN_DOCUMENTS)
            .execution_options(**skip)
        )
    )
    owner_attr = getattr(cls, "__owner_attr__", None)
    if owner_attr is None:
        return seeing
    owner = session.scalar(select(getattr(cls, owner_attr)).where(cls.id == record_id).execution_options(**skip))
    if owner is None:
        return seeing
    member = memberships()
    leaders = (
        select(SalesTeam.leader_id)
        .join(member, member.c.team_id == SalesTeam.id)
        .where(member.c.user_id == owner, SalesTeam.deleted_at.is_(None))
    )
    nearby = select(User.id).where(User.is_active, or_(User.id == owner, User.id.in_(leaders)))
    return seeing | set(session.scalars(nearby.execution_options(**skip)))


def install(session_factory) -> None:
    """Attaches the policy to every session the factory makes."""
    event.listen(session_factory, "do_orm_execute", _apply_policy)
    event.listen(session_factory, "before_flush", _check_flush)


def fetch(session: Session, cls: type, record_id, what: str = "رکورد"):
    """The record if the actor may see it; AccessDenied if it exists but is not theirs; else NotFound."""
    obj = session.get(cls, record_id)
    if obj is not None and getattr(obj, "deleted_at", None) is None:
        return obj
    exists = session.execute(
        select(cls.id)
        .where(cls.id == record_id, *([cls.deleted_at.is_(None)] if hasattr(cls, "deleted_at") else []))
        .execution_options(**{SKIP: True})
    ).first()
    if exists is not None:
        raise AccessDenied(DENIED_RECORD)
    raise NotFound(what)
