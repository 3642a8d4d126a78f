"""A rep's quick search in name order on the server, when the term has more hits than
peyvand_identity_hits' cap: the next rows of the name order the rep may see, walked and tested.

Under row security a rep's own walk of the name order reads every row it passes, colleagues' too, and
each of those makes PostgreSQL compute the rep's whole customers' set, peyvand_customers() (0.16 s at a
million identities); with LIKE guessed rare, it read the whole table and sorted (0.5-0.6 s a search).
`peyvand_identity_walk()` runs as the database owner with the identities' own rule inlined (as
peyvand_identity_hits does, visible_rule), and walks one branch per owner the user sees along that
owner's index of names with each search_blob beside it (ix_identities_owner_walk: the table is not read),
plus one for the identities they follow and one for the few rows too long for those indexes, merged in
name order: the window is the next `window_rows` visible rows, and nothing past it is read.

`mode` splits the term's hits as the owner's pages do (app.services.identities.list_pages): 'starts'
(the search key starts with the term; with `low`/`high`, the name order's range of those names, and
then a term of one or two letters too: the list's name prefix),
'inside' (the term first found past the key's first character), anything else: anywhere. When it finds
fewer than `lim` hits and the window was full, more may follow past it: every hit after the cursor is
then fetched through the trigram indexes and sorted, as the owner's pages do.

`peyvand_identity_count(term, low, high)` counts the same hits (a term of three or more characters
anywhere, or one of one or two letters starting a name within [low, high)) for the list's footer: under
row security a rep's count read the whole table and the customers' set (0.6 s at 1M).
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.migrations.raw_ddl import WALK_FITS, WALK_LONG
from app.services.server.functions import SAFE_PATH
from app.services.server.search_sql import TABLE, literal, visible_rule

WINDOW_CAP = 6_000  # rows walked at most per call (the list's ROLE_WALK_ROWS)
PAGE_CAP = 500  # hits returned at most per call
SIGNATURE = "peyvand_identity_walk(text, text, text, text, text, uuid, integer, integer)"
COUNT_SIGNATURE = "peyvand_identity_count(text, text, text)"


def install(conn: Connection, group: str) -> None:
    """Creates peyvand_identity_walk() and peyvand_identity_count() from the identities' policies now
    installed (run after them)."""
    scope = f"deleted_at IS NULL AND merged_into_id IS NULL AND ({visible_rule(conn, group)})"
    # Each owner's names along ix_identities_owner_walk, without reading the table; the few rows too long
    # for it (raw_ddl.WALK_LONG) in a branch of their own.
    walk = "(SELECT name_sort, id, search_blob FROM public.{table} WHERE %s AND %s AND {fits}"
    walk += " ORDER BY name_sort, id LIMIT %s)"
    branch = walk.format(table=TABLE, fits=WALK_FITS)
    long = walk.format(table=TABLE, fits=WALK_LONG)
    followed = "id = ANY(%L::uuid[]) AND coalesce(owner_id <> ALL(%L::uuid[]), true)"
    function = f"""CREATE OR REPLACE FUNCTION peyvand_identity_walk(term text, mode text, low text, high text,
  after_sort text, after_id uuid, window_rows integer, lim integer)
RETURNS TABLE (sort_key text, identity_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $fn$
DECLARE
  esc text := replace(replace(replace(coalesce(term, ''), '\\', '\\\\'), '%', '\\%'), '_', '\\_');
  n integer := least(greatest(coalesce(lim, 0), 0), {PAGE_CAP});
  w integer := least(greatest(coalesce(window_rows, 0), 0), {WINDOW_CAP});
  shortest integer := CASE WHEN mode = 'starts' AND low IS NOT NULL THEN 1 ELSE 3 END;
  scope text := {literal(scope)};
  owners uuid[] := ARRAY(SELECT DISTINCT o FROM unnest(peyvand_owners()) o WHERE o IS NOT NULL);
  followed uuid[] := ARRAY(SELECT peyvand_followed({literal(TABLE)}));
  test text;
  walk_test text;
  branches text;
  keys text[];
  ids uuid[];
  window_full boolean;
  -- The probe of the first hits reads them through the trigram bitmap (a table scan would start at its
  -- first row); the settings are put back after it.
  settings text[] := ARRAY['enable_seqscan', 'enable_indexscan', 'enable_indexonlyscan'];
  setting text;
  saved text[] := '{{}}';
  bound text := '';
BEGIN
  IF length(coalesce(term, '')) < shortest OR n = 0 OR w = 0 THEN
    RETURN;
  END IF;
  -- 'inside' as strpos() > 1 on the key past its first character: the expression of ix_identities_inside_trgm.
  test := CASE mode
    WHEN 'starts' THEN format('search_blob LIKE %L', esc || '%')
    WHEN 'inside' THEN format('substr(search_blob, 2) LIKE %L AND strpos(search_blob, %L) > 1', '%' || esc || '%', term)
    ELSE format('search_blob LIKE %L', '%' || esc || '%')
  END;
  -- The same tests for the walk, which reads no index with them: strpos() costs it half what LIKE does.
  walk_test := CASE mode
    WHEN 'starts' THEN test
    WHEN 'inside' THEN format('strpos(search_blob, %L) > 1', term)
    ELSE format('strpos(search_blob, %L) > 0', term)
  END;
  IF low IS NOT NULL THEN
    scope := scope || format(' AND name_sort >= %L AND name_sort < %L', low, coalesce(high, low));
  END IF;
  IF after_sort IS NOT NULL THEN
    scope := scope || format(' AND (name_sort, id) > (%L, %L::uuid)', after_sort, after_id);
  END IF;
  IF peyvand_sees_all() THEN
    branches := format({literal(branch)}, 'true', scope, w);
  ELSE
    SELECT string_agg(format({literal(branch)}, format('owner_id = %L::uuid', o), scope, w), ' UNION ALL ')
      INTO branches FROM unnest(owners) o;
    IF cardinality(followed) > 0 THEN
      branches := concat_ws(' UNION ALL ', branches,
        format({literal(branch)}, format({literal(followed)}, followed, owners), scope, w));
    END IF;
    IF branches IS NULL THEN
      RETURN;
    END IF;
  END IF;
  branches := branches || ' UNION ALL ' || format({literal(long)}, 'true', scope, w);
  -- The window's hits, and its last row whatever it holds: there, a full window (rn = w) ends the walk.
  EXECUTE format(
    'SELECT array_agg(name_sort::text ORDER BY name_sort, id) FILTER (WHERE hit),'
    ' array_agg(id ORDER BY name_sort, id) FILTER (WHERE hit), coalesce(bool_or(rn = %s), false) FROM'
    ' (SELECT name_sort, id, hit, rn FROM (SELECT name_sort, id, %s AS hit,'
    ' row_number() OVER (ORDER BY name_sort, id) AS rn FROM'
    ' (SELECT * FROM (%s) u ORDER BY name_sort, id LIMIT %s) w) t'
    ' WHERE hit OR rn = %s ORDER BY name_sort, id LIMIT %s) hits', w, walk_test, branches, w, w, n + 1)
    INTO keys, ids, window_full;
  IF coalesce(cardinality(ids), 0) < n AND window_full THEN
    -- The window was full and held too few: every hit after the cursor, fetched and sorted (by a copy
    -- of the name, which no index gives: so PostgreSQL fetches through the trigram index first). First
    -- the first n hits in the table's order: all of them when fewer, else those at or before the
    -- greatest of their names are enough (the owner's pages do the same: list_pages._first_hits).
    IF mode <> 'starts' THEN
      FOREACH setting IN ARRAY settings LOOP
        saved := saved || current_setting(setting);
        PERFORM set_config(setting, 'off', true);
      END LOOP;
      EXECUTE format('SELECT array_agg(name_sort::text ORDER BY name_sort, id), array_agg(id ORDER BY name_sort, id)'
        ' FROM (SELECT name_sort, id FROM public.{TABLE} WHERE %s AND %s LIMIT %s) first_hits', scope, test, n)
        INTO keys, ids;
      FOR i IN 1 .. cardinality(settings) LOOP
        PERFORM set_config(settings[i], saved[i], true);
      END LOOP;
      IF coalesce(cardinality(ids), 0) < n THEN
        RETURN QUERY SELECT k, i FROM unnest(keys, ids) AS hits(k, i);
        RETURN;
      END IF;
      bound := format(' AND name_sort <= %L', keys[n]);
    END IF;
    RETURN QUERY EXECUTE format('SELECT name_sort::text, id FROM public.{TABLE} WHERE %s AND %s%s'
      ' ORDER BY name_sort || %L, id LIMIT %s', scope, test, bound, '', n);
    RETURN;
  END IF;
  RETURN QUERY SELECT k, i FROM unnest(keys[1:n], ids[1:n]) AS hits(k, i);
END $fn$"""
    conn.exec_driver_sql(function.replace("%", "%%"))  # the driver's placeholders: %% is one %
    count = f"""CREATE OR REPLACE FUNCTION peyvand_identity_count(term text, low text, high text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {SAFE_PATH} AS $fn$
DECLARE
  esc text := replace(replace(replace(coalesce(term, ''), '\\', '\\\\'), '%', '\\%'), '_', '\\_');
  total bigint;
BEGIN
  IF low IS NOT NULL AND length(coalesce(term, '')) > 0 THEN
    EXECUTE format('SELECT count(*) FROM public.{TABLE} WHERE %s AND name_sort >= %L AND name_sort < %L'
      ' AND search_blob LIKE %L', {literal(scope)}, low, coalesce(high, low), esc || '%') INTO total;
  ELSIF length(coalesce(term, '')) >= 3 THEN
    EXECUTE format('SELECT count(*) FROM public.{TABLE} WHERE %s AND search_blob LIKE %L',
      {literal(scope)}, '%' || esc || '%') INTO total;
  END IF;
  RETURN coalesce(total, 0);
END $fn$"""
    conn.exec_driver_sql(count.replace("%", "%%"))
    for signature in (SIGNATURE, COUNT_SIGNATURE):
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {signature} TO {group}")
