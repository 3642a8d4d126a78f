"""A rep's quick search on the server: the identities whose search keys hold a term, through the trigram
index, among those the rep may see.

Under row security a rep's LIKE on search_blob cannot use the pg_trgm index (LIKE is not leakproof, so
PostgreSQL tests the policies on every row first): a search read the whole table (seconds at 1M rows).
`peyvand_identity_hits(term, cap)` runs the search as the database owner, with the identities' own rule
(their policies for every command, as pg_policies holds them when row security is installed) inlined in
its WHERE, so it finds no more than the rep's own query would, through the index. At most HITS_CAP
ids: the list sorts them itself when they are all there, and walks the sort's index otherwise.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.models import Identity
from app.services.server.functions import SAFE_PATH

HITS_CAP = 2_000
TABLE = Identity.__tablename__


def visible_rule(conn: Connection, group: str, table: str = TABLE) -> str:
    """SQL: a table's own rule for `group`'s members (its policies for every command, the permissive
    ones ORed, the restrictive ones ANDed), on the table's unqualified columns: a subset of what they may
    read. For identities, what the list shows a rep: the read-only customers' policy is left out (its
    set cost 150 ms a search at 300k)."""
    rows = conn.execute(
        text(
            "SELECT permissive, qual FROM pg_policies WHERE schemaname = 'public' AND tablename = :t"
            " AND cmd = 'ALL' AND :g = ANY(roles) AND qual IS NOT NULL ORDER BY policyname"
        ),
        {"t": table, "g": group},
    ).all()
    allowed = [f"({qual})" for permissive, qual in rows if permissive == "PERMISSIVE"]
    required = [f"({qual})" for permissive, qual in rows if permissive != "PERMISSIVE"]
    if not allowed:
        return "false"  # no permissive policy: row security shows nothing
    return " AND ".join([f"({' OR '.join(allowed)})", *required])


def literal(sql: str) -> str:
    return "'" + sql.replace("'", "''") + "'"


def install(conn: Connection, group: str) -> None:
    """Creates peyvand_identity_hits() from the identities' policies now installed (run after them)."""
    # The term is a literal (EXECUTE format %L) so each search is planned for its own term; its LIKE
    # wildcards match themselves. The hits are a materialized CTE, planned without the LIMIT: with it,
    # PostgreSQL guessed a phone number at 1% of the rows and scanned the table for a page of them (0.27 s
    # for its one hit, 8 ms through the trigram index); the CTE is read only as far as the LIMIT needs.
    select = (
        f"WITH hits AS MATERIALIZED (SELECT * FROM public.{TABLE} WHERE search_blob LIKE %L"
        " AND deleted_at IS NULL AND merged_into_id IS NULL) SELECT id FROM hits WHERE (%s) LIMIT %s"
    )
    function = f"""CREATE OR REPLACE FUNCTION peyvand_identity_hits(term text, cap integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $fn$
BEGIN
  IF length(coalesce(term, '')) < 3 THEN
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format({literal(select)},
    '%' || replace(replace(replace(term, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%',
    {literal(visible_rule(conn, group))}, least(greatest(coalesce(cap, 0), 0), {HITS_CAP + 1}));
END $fn$"""
    conn.exec_driver_sql(function.replace("%", "%%"))  # the driver's placeholders: %% is one %
    conn.exec_driver_sql("REVOKE ALL ON FUNCTION peyvand_identity_hits(text, integer) FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION peyvand_identity_hits(text, integer) TO {group}")
