"""Offline sync of a laptop with the office server (shared/design/sync.md §2, docs/sync.md).

The office's PostgreSQL is the authority (the hub); a laptop keeps a SQLite copy of what its user may
see and always reads and writes it. Each local write transaction is one batch in the outbox; a sync
pushes the batches (the hub applies each at most once, in order, field by field against what changed
there since) and then pulls the rows changed at the office since the laptop's cursor.
"""
