"""What one write transaction changed, taken from the writes themselves (flushes and plain statements).

`install` hangs two hooks on the writer's sessions: after every flush the new, changed and deleted
rows are noted; a plain INSERT / UPDATE / DELETE run through the session is noted too (ids from its
parameters, or looked up with the statement's own WHERE before it runs). Before COMMIT the journal
(app.services.core.journal) is written from the notes. `Database.write` hands the `Changes` to
`changes.committed` only after the COMMIT succeeded, so a rollback publishes nothing.
"""

from __future__ import annotations

import functools
import re
import uuid

from sqlalchemy import TextClause, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from app.models import BusinessMixin
from app.services.core.access import SKIP
from app.services.core.audit import changed_attrs, to_json
from app.services.core.changes import ChangeBuilder, Changes, Op

BUILDER_KEY = "changes"  # session.info: the ChangeBuilder of this transaction
ROWS_KEY = "journal_rows"  # session.info: [(table, row id, op, fields)] for the journal
FROM_OWNER = "_from_owner"  # a journal entry's note, not a column: whose record it was before this change
RECORDED = "recorded_write"  # execution option: this plain statement's rows are noted by its caller
# Bookkeeping tables: their rows are the record of changes, not changes.
UNTRACKED = frozenset({"audit_log", "change_log", "change_clock", "alembic_version"})
# Never copied into the journal (a feed other devices read).
SECRET_COLUMNS = frozenset({"password_hash"})
# Columns every database derives itself when a row is written (app.services.identities.search_index's
# hook; sort keys are found by their column info): the journal carries their sources instead.
DERIVED_COLUMNS = {
    "identities": frozenset({"name_key", "search_blob", "primary_city", "primary_mobile"}),
    "identity_phones": frozenset({"number_key"}),
    "identity_emails": frozenset({"email_key"}),
}
# An insert's values that equal these others are left out (app.services.core.journal.row_values puts them back).
INSERT_DEFAULTS = (("updated_at", "created_at"), ("updated_by", "created_by"))
_TEXT_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
_BUSINESS_TABLES: set[str] = set()


class UnrecordedWrite(RuntimeError):
    """A programming error: raw SQL wrote a business table, so neither history nor journal saw it."""


def business_tables() -> frozenset[str]:
    if not _BUSINESS_TABLES:
        from app.models import Base

        _BUSINESS_TABLES.update(
            m.class_.__tablename__ for m in Base.registry.mappers if issubclass(m.class_, BusinessMixin)
        )
    return frozenset(_BUSINESS_TABLES)


def builder_of(session: Session) -> ChangeBuilder:
    builder = session.info.get(BUILDER_KEY)
    if builder is None:
        builder = session.info[BUILDER_KEY] = ChangeBuilder()
        session.info[ROWS_KEY] = []
    return builder


def changes_of(session: Session) -> Changes:
    """What this session's transaction changed so far (a service may return it with its result)."""
    return builder_of(session).build()


def note(session: Session, table: str, row_id, op: Op, fields: dict, memo: dict | None = None) -> None:
    """Records one changed row: in the transaction's Changes and, for the journal, its new values."""
    if table in UNTRACKED:
        return
    builder_of(session).add(table, row_id, op)
    values = _json_fields(fields, op, {} if memo is None else memo, *journal_rules(table))
    session.info[ROWS_KEY].append((table, row_id, op, values))


@functools.cache
def journal_rules(table: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The columns of `table` the journal never carries (its id, which is the entry's row_id, and the
    derived ones) and the INSERT_DEFAULTS pairs the table has."""
    from app.models import Base

    columns = Base.metadata.tables[table].columns if table in Base.metadata.tables else ()
    names = {c.name for c in columns}
    sort_keys = {c.name for c in columns if "sort_key_of" in c.info}
    pairs = tuple((key, same_as) for key, same_as in INSERT_DEFAULTS if {key, same_as} <= names)
    return frozenset({"id", *sort_keys, *DERIVED_COLUMNS.get(table, ())}), pairs


def _json_fields(fields: dict, op: Op, memo: dict, skipped: frozenset[str], pairs: tuple = ()) -> dict:
    """JSON-safe values; an insert leaves out its nulls (an absent field is null), a version of 1 and
    the updated_* equal to its created_*. Binary cells (attachment contents) stay out: the journal
    carries their sha256 row instead. Plain values are passed straight through and repeated ones (a
    bulk insert's one timestamp) converted once: a 10,000-row import notes some 40,000 rows."""
    values = {}
    for key, value in fields.items():
        if key in skipped:
            continue
        kind = type(value)
        if kind is str or kind is int or kind is bool or kind is float:
            values[key] = value
        elif value is None:
            if op is not Op.INSERT:
                values[key] = None
        elif isinstance(value, uuid.UUID):  # uuid6's ids are a subclass
            values[key] = str(value)
        elif kind is dict or kind is list:
            values[key] = value
        elif not isinstance(value, bytes | memoryview):
            if value not in memo:
                memo[value] = to_json(value)
            values[key] = memo[value]
    if op is Op.INSERT:
        for key, same_as in pairs:
            if key in values and values[key] == values.get(same_as):
                del values[key]
            elif key not in values and same_as in values:
                values[key] = None  # a null that would otherwise read as "equal to created_*"
        if values.get("version") == 1:
            del values["version"]
    return values


def note_inserts(session: Session, table, rows: list[dict]) -> None:
    """Rows a caller INSERTs in bulk outside the ORM (its statement marked RECORDED), noted as inserts."""
    if table.name in UNTRACKED:
        return
    if "id" not in table.c:
        builder_of(session).add_table(table.name)
        return
    memo: dict = {}
    for row in rows:
        note(session, table.name, row["id"], Op.INSERT, row, memo)


def _row_id(obj):
    key = inspect(obj).mapper.primary_key_from_instance(obj)  # the identity key is set only after the flush
    return key[0] if len(key) == 1 else tuple(key)


def _column_values(obj, only_changed: bool) -> dict:
    state = inspect(obj)
    values = {}
    for attr in changed_attrs(state) if only_changed else state.mapper.column_attrs:
        name = attr.columns[0].name
        if name in SECRET_COLUMNS or attr.key not in state.dict:
            continue
        if only_changed and not state.attrs[attr.key].history.has_changes():
            continue
        values[name] = state.dict[attr.key]
    return values


def _soft_delete_op(obj) -> Op:
    history = inspect(obj).attrs.deleted_at.history if hasattr(type(obj), "deleted_at") else None
    if history is None or not history.has_changes():
        return Op.UPDATE
    return Op.DELETE if history.added and history.added[0] is not None else Op.RESTORE


def _after_flush(session: Session, _ctx) -> None:
    for obj in session.new:
        note(session, type(obj).__tablename__, _row_id(obj), Op.INSERT, _column_values(obj, only_changed=False))
        _touch_parent(session, obj)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            fields = _column_values(obj, only_changed=True)
            _note_former_owner(obj, fields)
            if fields:
                note(session, type(obj).__tablename__, _row_id(obj), _soft_delete_op(obj), fields)
                _touch_parent(session, obj)
    for obj in session.deleted:
        note(session, type(obj).__tablename__, _row_id(obj), Op.DELETE, _parent_key(obj))
        _touch_parent(session, obj)


def _parent_key(obj) -> dict:
    """A hard-deleted child's parent key: its row is gone, so whoever sees the parent may see the delete
    (the office's journal policy, app.services.server.sync_sql, reads it)."""
    attr = getattr(type(obj), "__access_parent__", None)
    if attr is None or getattr(obj, attr, None) is None:
        return {}
    return {inspect(type(obj)).columns[attr].name: getattr(obj, attr)}


def _note_former_owner(obj, fields: dict) -> None:
    """A record handed to someone else: its entry names the owner it left (FROM_OWNER), so the journal
    shows the entry to them too and their laptop learns the record left their view (docs/sync.md)."""
    owner = getattr(type(obj), "__owner_attr__", None)
    column = inspect(type(obj)).columns[owner].name if owner else None
    if column not in fields:
        return
    former = inspect(obj).attrs[owner].history.deleted
    if former and former[0] is not None:
        fields[FROM_OWNER] = former[0]


def _touch_parent(session: Session, obj) -> None:
    """A child row (a phone, a line, a tag link) changed: its record changed for every view that shows the
    record, so the Changes name the parent too (the journal keeps only the rows really written)."""
    attr = getattr(type(obj), "__access_parent__", None)
    parent_id = getattr(obj, attr, None) if attr else None
    if parent_id is None:
        return
    (fk,) = inspect(type(obj)).columns[attr].foreign_keys
    if fk.column.table.name not in UNTRACKED:
        builder_of(session).add(fk.column.table.name, parent_id, Op.UPDATE)


def _parameter_rows(state: ORMExecuteState) -> list[dict]:
    params = state.parameters
    if isinstance(params, dict | None):
        params = [params] if params else []
    stmt_values = {
        getattr(col, "key", col): getattr(value, "value", value)
        for col, value in (state.statement._values or {}).items()
    }
    return [{**stmt_values, **row} for row in params] or ([stmt_values] if stmt_values else [])


def _on_execute(state: ORMExecuteState):
    stmt = state.statement
    if isinstance(stmt, TextClause):
        match = _TEXT_WRITE.match(stmt.text)
        if match and match.group(1) in business_tables():
            raise UnrecordedWrite(f"raw SQL writes business table {match.group(1)}")
        if match and match.group(1) not in UNTRACKED:
            builder_of(state.session).add_table(match.group(1))
        return None
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table = stmt.table
    if table.name in UNTRACKED or state.execution_options.get(RECORDED):
        return None
    session = state.session
    if state.is_insert:
        rows = _parameter_rows(state)
        if "id" not in table.c or not rows or any("id" not in row for row in rows):
            builder_of(session).add_table(table.name)
            return None
        for row in rows:
            note(session, table.name, row["id"], Op.INSERT, row)
        return None
    return _run_noted(state, table)


def _run_noted(state: ORMExecuteState, table):
    """UPDATE / DELETE: the rows its WHERE matches are read first, and an UPDATE's new values after."""
    session, stmt = state.session, state.statement
    if "id" not in table.c:
        builder_of(session).add_table(table.name)
        return None
    params = state.parameters
    if isinstance(params, list) and params and all("id" in row for row in params):  # ORM bulk by primary key
        result = state.invoke_statement()
        for row in params:
            note(session, table.name, row["id"], Op.DELETE if state.is_delete else Op.UPDATE, row)
        return result
    options = {SKIP: True} if state.execution_options.get(SKIP) else {}  # the rows the statement can reach
    matched = select(table.c.id)
    if stmt.whereclause is not None:
        matched = matched.where(stmt.whereclause)
    ids = list(session.scalars(matched.execution_options(**options)))
    result = state.invoke_statement()
    if state.is_delete:
        for row_id in ids:
            note(session, table.name, row_id, Op.DELETE, {})
        return result
    columns = [table.c[getattr(col, "key", col)] for col in stmt._values or {}]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in session.execute(
            select(table.c.id, *columns).where(table.c.id.in_(chunk)).execution_options(**options)
        ):
            fields = dict(row._mapping)
            row_id = fields.pop("id")
            op = Op.UPDATE
            if "deleted_at" in fields:
                op = Op.DELETE if fields["deleted_at"] is not None else Op.RESTORE
            note(session, table.name, row_id, op, fields)
    return result


def install(session_factory) -> None:
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "do_orm_execute", _on_execute)
