"""Offline sync in the window (shared/design/sync.md; the services in app/services/sync).

`area.py` puts it in the main window: on the office server the administrator's «دستگاه‌ها…»
(`devices_dialog.py`) and reading a laptop's sync file; elsewhere «کار بیرون از دفتر…», which makes this
computer a laptop copy (`laptop_setup.py`); on a laptop copy the status bar's sync line and button with
the five-minute background sync (`status_widget.py`, its worker side in `sync_calls.py`, the password in
the credential store: `credentials.py`) and the sync files carried by hand (`bundle_actions.py`). The
conflicts inbox «تعارض‌ها» (`conflicts_dialog.py`, its panes and small dialogs in `conflict_panes.py`) is
opened from «ابزار» and by the status bar's sync line."""
