"""A record's customer, read-only, under row-level security: the server's side of the rule in
app.services.core.access (see docs/access.md).

A rep's role reads the identities that the opportunities, activities and documents it may see point
to (one extra SELECT-only policy on identities), so a list joining its customers shows every row, as
the app does on SQLite. UPDATE and DELETE keep the identity's own rule. Everything that is reached
*through* an identity keeps the strict rule too: its phones, e-mails, addresses, attachments and
activities, its tags, and following it (else reading a colleague's customer's name would open the
whole record); `strict` rewrites those policies' identity look-ups.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from app.models import Identity
from app.services.core.access import CUSTOMER_REFERENCES
from app.services.server.functions import SAFE_PATH

TABLE = Identity.__tablename__


def _referenced() -> str:
    """SQL: ids of the identities named by rows the session's user owns (or their team) or follows (the
    user's owners and id as scalar subqueries: computed once, not once per referencing row)."""
    parts = []
    for cls, column in CUSTOMER_REFERENCES:
        table = cls.__tablename__
        owner = cls.__table__.c[cls.__owner_attr__].name
        parts.append(
            f"SELECT r.{cls.__table__.c[column].name} FROM public.{table} r"
            f" WHERE r.{owner} = ANY((SELECT public.peyvand_owners())::uuid[]) OR r.id IN (SELECT f.record_id"
            f" FROM public.followers f WHERE f.user_id = (SELECT public.peyvand_user_id()) AND f.record_table = '{table}')"
        )
    return "\n  UNION ".join(parts)


# SECURITY DEFINER: it reads the referencing tables without their policies (some of which look at
# identities: a policy on identities reading them directly would recurse).
FUNCTION = f"""
CREATE OR REPLACE FUNCTION peyvand_customers() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = {SAFE_PATH} AS $$
  {_referenced()} $$;
REVOKE ALL ON FUNCTION peyvand_customers() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION peyvand_customers() TO peyvand_users;
"""
# A hashed subplan: the set is computed once per query, not once per identity. PostgreSQL tries the
# policies' arms in order, so the cheap ones come first: a rep's UPDATE of their own identity (whose
# WHERE makes it read the row, so the read policies apply too) never computes the set (45 ms a row).
READ_POLICY = (
    "FOR SELECT USING (peyvand_sees_all() OR owner_id = ANY(peyvand_owners()) OR id IN (SELECT peyvand_customers()))"
)


def install(conn: Connection) -> None:
    """Creates peyvand_customers() (before the policies that call it)."""
    conn.exec_driver_sql(FUNCTION)


def strict(policies: dict[str, list[str]], visible: Callable[[type], str]) -> dict[str, list[str]]:
    """The policies with the read-only customers' policy added to identities, and every other table's
    look-up of an identity (`FROM identities p WHERE p.id = ...`) narrowed to the identity's own rule
    (`visible(Identity)`, SQL on its unqualified columns, which resolve to p there): the extra read
    never reaches beyond the identity's own row."""
    lookup = f"FROM {TABLE} p WHERE p.id"
    narrowed = f"FROM {TABLE} p WHERE ({visible(Identity)}) AND p.id"
    result = {table: [rule.replace(lookup, narrowed) for rule in rules] for table, rules in policies.items()}
    result[TABLE] = [*policies[TABLE], READ_POLICY]
    return result
