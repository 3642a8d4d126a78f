"""The administration area's UI: login, first-run wizard, users and teams, company details, backups and the admin's
history and recycle-bin views.
"""
