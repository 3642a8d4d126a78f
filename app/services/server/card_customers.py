"""The customers' names on a rep's board, on the office server.

Under row security, a rep's read of a colleague's customer (whose name a card shows) makes PostgreSQL
compute the rep's whole customers' set, peyvand_customers(): 0.2 s for a page of cards at a million
identities. A rep reads the customer of every opportunity they see (the identities' read-only policy,
app.services.server.customers), so `peyvand_opportunity_customers(ids)` runs as the database owner and
answers, for the opportunities among `ids` that pass the opportunities' own rule (inlined from
pg_policies, as peyvand_identity_hits does), their customers' names: a name the rep's own query
would read anyway, looked up by key.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from app.models import Identity, Opportunity
from app.services.server.functions import SAFE_PATH
from app.services.server.search_sql import visible_rule

_NAMES = text("SELECT opportunity_id, display_name FROM peyvand_opportunity_customers(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(Uuid))
)


def install(conn: Connection, group: str) -> None:
    """Creates peyvand_opportunity_customers() from the opportunities' policies now installed."""
    opportunities, identities = Opportunity.__tablename__, Identity.__tablename__
    # The rule's unqualified columns resolve to the opportunity: the name is a scalar subquery, not a join.
    conn.exec_driver_sql(
        f"""CREATE OR REPLACE FUNCTION peyvand_opportunity_customers(ids uuid[])
RETURNS TABLE (opportunity_id uuid, display_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $fn$
  SELECT id, (SELECT c.display_name::text FROM public.{identities} c WHERE c.id = {opportunities}.identity_id)
  FROM public.{opportunities} WHERE id = ANY(ids) AND ({visible_rule(conn, group, opportunities)})
$fn$""".replace("%", "%%")  # the driver's placeholders: %% is one %
    )
    conn.exec_driver_sql("REVOKE ALL ON FUNCTION peyvand_opportunity_customers(uuid[]) FROM PUBLIC")
    conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION peyvand_opportunity_customers(uuid[]) TO {group}")


def names(s: Session, opportunity_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Opportunity id -> its customer's name, for those of `opportunity_ids` the user may see."""
    return {oid: name for oid, name in s.execute(_NAMES, {"ids": opportunity_ids})}
