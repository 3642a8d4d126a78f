"""The office-server area's UI: the connection dialog and live refresh of other users' changes."""
