"""Offline sync in the window: the office's devices, a laptop's setup, its sync status and button, and
the sync files carried by hand (shared/design/sync.md). The services live in app/services/sync."""
