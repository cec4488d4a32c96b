"""Our icons from resources/icons (SVG, sharp at any screen scale), shared by views and the
item models of the view-models (a cell's decoration)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from recur_desktop.resources import resources_dir


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))
