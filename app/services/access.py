"""The one access policy: every ORM query and every flush of a session goes through it.

A session opened by `Database.read(actor)` / `write(actor)` carries its actor. For a user with
"own documents only", every SELECT, UPDATE and DELETE of an owned model gets a filter in SQL
(`with_loader_criteria`), and every flush refuses changes to rows the user may not touch. Services
need not remember anything, so a new service cannot forget the rule.

- A model is *owned* when it declares `__owner_attr__` (the column naming its owner); it is
  visible to its owner, to the leader of the owner's team, and to the record's followers.
- A *child* declares `__access_parent__` (the foreign key to an owned parent): it follows the parent.
- An *admin-managed* model (`__admin_managed__`: settings, lists, users) is readable by everyone
  and changed only by an administrator.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, event, inspect, or_, select
from sqlalchemy.orm import Session, with_loader_criteria

from app.models import Base, Follower, SalesTeam, User
from app.models.enums import AccessLevel
from app.services.actor import Actor
from app.services.errors import AccessDenied, NotFound

SKIP = "skip_access"  # execution option for the policy's own look-ups
_VISIBLE_KEY = "visible_owner_ids"

DENIED_RECORD = "شما اجازه دسترسی به این رکورد را ندارید."
DENIED_LIST = "فقط مدیر می‌تواند تنظیمات، فهرست‌ها و کاربران را تغییر دهد."


def _mapped(attr: str) -> list[type]:
    return [m.class_ for m in Base.registry.mappers if m.class_.__dict__.get(attr)]


OWNED: list[type] = _mapped("__owner_attr__")
CHILDREN: list[type] = _mapped("__access_parent__")
ADMIN_MANAGED: list[type] = _mapped("__admin_managed__")


def _parent_of(child: type) -> type:
    column = inspect(child).columns[child.__access_parent__]
    (fk,) = column.foreign_keys
    return next(cls for cls in OWNED if cls.__table__ is fk.column.table)


def is_restricted(actor: Actor | None) -> bool:
    return actor is not None and actor.access_level is AccessLevel.OWN_DOCUMENTS


def visible_owner_ids(session: Session) -> list[uuid.UUID]:
    """The actor and, for a team leader, the team's members; cached for the session."""
    cached = session.info.get(_VISIBLE_KEY)
    if cached is None:
        actor: Actor = session.info["actor"]
        members = session.scalars(
            select(User.id)
            .join(SalesTeam, SalesTeam.id == User.team_id)
            .where(SalesTeam.leader_id == actor.user_id, SalesTeam.deleted_at.is_(None))
            .execution_options(**{SKIP: True})
        )
        cached = session.info[_VISIBLE_KEY] = [actor.user_id, *members]
    return cached


def owned_clause(cls, owners: list[uuid.UUID], user_id: uuid.UUID | None) -> ColumnElement[bool]:
    followed = select(Follower.record_id).where(Follower.user_id == user_id, Follower.record_table == cls.__tablename__)
    return or_(getattr(cls, cls.__owner_attr__).in_(owners), cls.id.in_(followed))


def _apply_policy(state) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.execution_options.get(SKIP):
        return
    actor = state.session.info.get("actor")
    if not is_restricted(actor):
        return
    owners = visible_owner_ids(state.session)
    user_id = actor.user_id
    options = [
        with_loader_criteria(cls, lambda c: owned_clause(c, owners, user_id), include_aliases=True) for cls in OWNED
    ]
    for child in CHILDREN:
        parent = _parent_of(child)
        options.append(
            with_loader_criteria(
                child,
                lambda c, parent=parent: getattr(c, c.__access_parent__).in_(
                    select(parent.id).where(owned_clause(parent, owners, user_id))
                ),
                include_aliases=True,
            )
        )
    state.statement = state.statement.options(*options)


def _may_touch(session: Session, cls: type, record_id, owner_id) -> bool:
    if owner_id in visible_owner_ids(session):
        return True
    actor: Actor = session.info["actor"]
    followed = select(Follower.id).where(
        Follower.user_id == actor.user_id,
        Follower.record_table == cls.__tablename__,
        Follower.record_id == record_id,
    )
    return session.scalar(followed.execution_options(**{SKIP: True})) is not None


def _committed(obj, attr: str):
    history = inspect(obj).attrs[attr].history
    return history.deleted[0] if history.deleted else getattr(obj, attr)


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
        if cls in OWNED:
            _check_owned(session, obj)
        elif cls in CHILDREN:
            parent = _parent_of(cls)
            _check_reference(session, parent, getattr(obj, cls.__access_parent__))
        elif cls is Follower:
            if obj.user_id not in visible_owner_ids(session):
                raise AccessDenied(DENIED_RECORD)
            _check_reference(session, _OWNED_BY_TABLE[obj.record_table], obj.record_id)


_OWNED_BY_TABLE = {cls.__tablename__: cls for cls in OWNED}


def _check_owned(session: Session, obj) -> None:
    cls = type(obj)
    attr = cls.__owner_attr__
    new_owner = getattr(obj, attr)
    visible = visible_owner_ids(session)
    if obj in session.new:
        allowed = new_owner in visible  # a rep creates records for themselves (or their team)
    else:
        old_owner = _committed(obj, attr)
        allowed = _may_touch(session, cls, obj.id, old_owner) and (new_owner == old_owner or new_owner in visible)
    if not allowed:
        raise AccessDenied(DENIED_RECORD)


def _check_reference(session: Session, cls: type, record_id) -> None:
    """Writing something attached to a record (a phone, a follower) needs access to that record."""
    if any(isinstance(o, cls) and o.id == record_id for o in session.new):
        return
    owner = session.execute(
        select(getattr(cls, cls.__owner_attr__)).where(cls.id == record_id).execution_options(**{SKIP: True})
    ).scalar()
    if not _may_touch(session, cls, record_id, owner):
        raise AccessDenied(DENIED_RECORD)


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
