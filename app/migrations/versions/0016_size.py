"""Database size (issue 20): the change journal kept only where a device reads it, a create's history entry
stored compactly, two identity indexes that no query uses dropped.

- `change_log`: emptied when no registered, non-revoked device and no laptop state exist (its writer,
  app.services.core.journal, then writes nothing either); the clock keeps its number.
- `audit_log`: a create's {field: [null, value]} becomes {field: value} (app.services.core.audit.pairs).
- `ix_identities_owner_id`, `ix_identities_category_id`: every list and count of identities reads live rows
  through the partial `ix_identities_live_owner_sort` / `_category_sort` (EXPLAIN on both databases).

Revision ID: 0016_size
Revises: 0015_sync
"""

from alembic import op

revision = "0016_size"
down_revision = "0015_sync"
branch_labels = None
depends_on = None

_NO_READER = (
    "DELETE FROM change_log WHERE NOT EXISTS (SELECT 1 FROM sync_devices WHERE revoked_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM sync_state WHERE key = 'device_id')"
)
_COMPACT_CREATES = {
    "sqlite": (
        "UPDATE audit_log SET changes = (SELECT json_group_object(key, value -> 1) FROM json_each(audit_log.changes)"
        " WHERE (value ->> 1) IS NOT '') WHERE action = 'create'"
    ),
    "postgresql": (
        "UPDATE audit_log SET changes = COALESCE((SELECT json_object_agg(key, value -> 1)"
        " FROM json_each(audit_log.changes) WHERE (value ->> 1) IS DISTINCT FROM ''), '{}'::json)"
        " WHERE action = 'create'"
    ),
}
_EXPAND_CREATES = {
    "sqlite": (
        "UPDATE audit_log SET changes = (SELECT json_group_object(key, json_array(NULL, value))"
        " FROM json_each(audit_log.changes)) WHERE action = 'create'"
    ),
    "postgresql": (
        "UPDATE audit_log SET changes = COALESCE((SELECT json_object_agg(key, json_build_array(NULL, value))"
        " FROM json_each(audit_log.changes)), '{}'::json) WHERE action = 'create'"
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(_NO_READER)
    op.execute(_COMPACT_CREATES[dialect])
    op.drop_index("ix_identities_owner_id", table_name="identities")
    op.drop_index("ix_identities_category_id", table_name="identities")


def downgrade() -> None:
    op.create_index("ix_identities_category_id", "identities", ["category_id"])
    op.create_index("ix_identities_owner_id", "identities", ["owner_id"])
    op.execute(_EXPAND_CREATES[op.get_bind().dialect.name])
