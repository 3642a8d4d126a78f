"""The administration area: users and passwords, sales teams, company and application settings, custom fields,
backups, the integrity check, the audit history and the recycle bin.
"""
