"""The feature areas the main window is built from (as a Spyder plugin declares itself in plugin.py).

Each area package says in its `area.py` what it brings to the window: its docks (built with the window
so a saved layout restores them, filled with live panels once the database is open), the modules that
register its record forms, and one install hook for the rest (menus, record opening, timers). The
window iterates `areas()`; adding an area is one line here, not an edit of the window.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.services.core.actor import Actor
    from app.services.core.registry import Services
    from app.ui.main_window import MainWindow

    Hook = Callable[[MainWindow, Services, Actor], None]
    PanelFactory = Callable[[MainWindow, Services, Actor], QWidget]

# Imported by module name so that building the window does not import the areas' heavy modules
# (the database layer loads only after the window is on screen).
AREAS: tuple[str, ...] = (
    "app.ui.identities.area",
    "app.ui.opportunities.area",
    "app.ui.activities.area",
    "app.ui.documents.area",
    "app.ui.reports.area",
    "app.ui.sync.area",
)


@dataclass(frozen=True)
class Dock:
    """A dock built with the window. The window keeps it as `<key>_dock` and its panel as
    `<key>_panel`; `object_name` is what a saved layout knows it by."""

    key: str
    title: str
    object_name: str
    side: Qt.DockWidgetArea
    panel: PanelFactory


@dataclass(frozen=True)
class Area:
    name: str
    docks: tuple[Dock, ...] = ()
    forms: tuple[str, ...] = ()
    """Modules imported for their `register_form` calls, before any area installs."""
    install: Hook | None = None
    """Called once the docks hold their panels: menus, record opening, background timers."""


def areas() -> list[Area]:
    return [importlib.import_module(name).AREA for name in AREAS]
