"""Rows the office server already has under another id (`server import-sqlite` after `server init`).

`server init` makes the administrator and the default pipeline «فروش» with its stages; the file has
its own. A file row whose natural key (a user's login, a list entry's name ...) matches a live row of
the server is not copied a second time: it is mapped to the server's row, and every reference to it
in the rest of the file (foreign keys, and the `record_table`/`record_id` pairs of the audit log,
followers and recent records) points to the server's row instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import Connection, Table, select

# Natural keys, per table. Foreign keys inside a key are compared after mapping (a stage is the same
# when its pipeline is the same one and its name is equal).
MATCH_KEYS: dict[str, tuple[str, ...]] = {
    "users": ("login",),
    "sales_teams": ("name",),
    "pipelines": ("name",),
    "stages": ("pipeline_id", "name"),
    "activity_types": ("kind", "name"),
    "categories": ("parent_id", "name"),
    "sources": ("name",),
    "opportunity_types": ("name",),
    "campaigns": ("name",),
    "media": ("name",),
    "close_reasons": ("kind", "name"),
    "competitors": ("name",),
    "custom_fields": ("entity", "name"),
    "tags": ("name",),
    "product_groups": ("name",),
    "price_lists": ("name",),
    "vat_rates": ("valid_from",),
}


class Merger:
    """The file-id -> server-id map, filled table by table in dependency order."""

    def __init__(self) -> None:
        self.mapped: dict[str, dict[uuid.UUID, uuid.UUID]] = {}

    def remap(self, table: Table, row: Mapping) -> dict:
        """`row` with every reference to a matched row replaced by the server's id."""
        out = dict(row)
        for fk in table.foreign_keys:
            target = self.mapped.get(fk.column.table.name)
            value = out.get(fk.parent.name)
            if target and value in target:
                out[fk.parent.name] = target[value]
        if "record_table" in out and "record_id" in out:
            target = self.mapped.get(out["record_table"]) or {}
            out["record_id"] = target.get(out["record_id"], out["record_id"])
        return out

    def match(self, table: Table, rows: list[dict], dst: Connection) -> list[dict]:
        """The rows still to copy (remapped); the others are recorded as matched. Repeats until stable,
        because a key may name a row of the same table (a category's parent)."""
        keys = MATCH_KEYS.get(table.name)
        if keys is None:
            return [self.remap(table, row) for row in rows]
        server = self._server_keys(table, keys, dst)
        matched = self.mapped.setdefault(table.name, {})
        while True:
            found = False
            for row in rows:
                if row["id"] in matched or not _live(row):
                    continue
                server_id = server.get(tuple(self.remap(table, row)[k] for k in keys))
                if server_id is not None and server_id != row["id"]:
                    matched[row["id"]] = server_id
                    found = True
            if not found:
                break
        return [self.remap(table, row) for row in rows if row["id"] not in matched]

    @staticmethod
    def _server_keys(table: Table, keys: tuple[str, ...], dst: Connection) -> dict[tuple, uuid.UUID]:
        stmt = select(table.c.id, *(table.c[k] for k in keys))
        if "deleted_at" in table.c:
            stmt = stmt.where(table.c.deleted_at.is_(None))
        return {tuple(row[1:]): row[0] for row in dst.execute(stmt.order_by(table.c.id))}

    def count(self, table: str) -> int:
        return len(self.mapped.get(table, {}))


def _live(row: Mapping) -> bool:
    return row.get("deleted_at") is None
