"""What a write changed (Anki's `OpChanges`): table → row id → operation, produced by the write itself.

`Database.write(actor)` fills one `Changes` from the session's flush and from plain SQL statements run
in it; when the transaction commits it is handed to every `collecting()` block open on this thread.
The UI's operations open such a block around a service call and publish what it collected, so no view
is ever told by hand.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Op(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


@dataclass(frozen=True)
class Changes:
    """Rows changed by one or more committed writes. `ALL` in a table's ids means "rows unknown"
    (a bulk statement without RETURNING): listeners refresh the whole table."""

    rows: Mapping[str, Mapping[uuid.UUID | str, Op]] = field(default_factory=lambda: MappingProxyType({}))
    whole_tables: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.rows) or bool(self.whole_tables)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.rows) | self.whole_tables

    def ids(self, table: str) -> frozenset | None:
        """The ids changed in `table`; None when unknown (the whole table may have changed)."""
        if table in self.whole_tables:
            return None
        return frozenset(self.rows.get(table, ()))

    @staticmethod
    def of(table: str, ids: Iterable | None, op: Op = Op.UPDATE) -> Changes:
        builder = ChangeBuilder()
        if ids is None:
            builder.add_table(table)
        else:
            for row_id in ids:
                builder.add(table, row_id, op)
        return builder.build()


class ChangeBuilder:
    """Accumulates changes of one transaction; the first operation on a row wins over a later update
    (an insert then an update is still an insert), a delete wins over everything."""

    def __init__(self) -> None:
        self._rows: dict[str, dict] = {}
        self._whole: set[str] = set()

    def add(self, table: str, row_id, op: Op) -> None:
        per_table = self._rows.setdefault(table, {})
        before = per_table.get(row_id)
        if before is None or op is Op.DELETE or (before is Op.UPDATE and op is not Op.UPDATE):
            per_table[row_id] = op

    def op_of(self, table: str, row_id) -> Op | None:
        """The row's operation so far in this transaction (None: not changed yet)."""
        return self._rows.get(table, {}).get(row_id)

    def add_table(self, table: str) -> None:
        self._whole.add(table)

    def add_changes(self, changes: Changes) -> None:
        for table, ids in changes.rows.items():
            for row_id, op in ids.items():
                self.add(table, row_id, op)
        self._whole.update(changes.whole_tables)

    def build(self) -> Changes:
        rows = {t: MappingProxyType(dict(ids)) for t, ids in self._rows.items() if ids}
        return Changes(MappingProxyType(rows), frozenset(self._whole))


_collectors: contextvars.ContextVar[tuple[ChangeBuilder, ...]] = contextvars.ContextVar("collectors", default=())


@contextlib.contextmanager
def collecting() -> Iterator[ChangeBuilder]:
    """Collect the changes of every write committed inside the block (on this thread)."""
    builder = ChangeBuilder()
    token = _collectors.set((*_collectors.get(), builder))
    try:
        yield builder
    finally:
        _collectors.reset(token)


def committed(changes: Changes) -> None:
    """Called by `Database.write` after a commit: hand the changes to every open collector."""
    for builder in _collectors.get():
        builder.add_changes(changes)
