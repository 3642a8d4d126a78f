"""The administration area's UI: login, first-run wizard, users and teams, the tag management page,
company details, backups and the admin's
history and recycle-bin views.
"""
