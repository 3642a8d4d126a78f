"""The administration area: users and passwords, sales teams and a user's several teams (memberships.py),
the tag management page (tags.py), company and application settings, custom fields,
backups, the integrity check, the audit history and the recycle bin.
"""
