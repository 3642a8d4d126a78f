"""The Qt user interface: the only package that imports PySide6."""

from app.ui.refcount_guard import make_bools_immortal

make_bools_immortal()  # before any signal is emitted: see refcount_guard
