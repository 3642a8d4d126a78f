"""Shared infrastructure of the services: the database and its one write path, the access policy, audit, optimistic
locking, typed errors, the acting user, the registry of services, Persian labels of enums, migrations and saved
searches.
"""
