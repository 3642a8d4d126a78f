"""The office-server area (PostgreSQL): the saved connection, per-user roles and row-level security, live changes
(LISTEN/NOTIFY) and moving a SQLite file onto the server.
"""
