"""Offline sync in the window: the conflicts inbox «تعارض‌ها» (`conflicts_dialog.py`, its panes and small
dialogs in `conflict_panes.py`), opened from «ابزار» and by the status bar's sync widget."""
