"""Where the window's file dialogs open: the user's documents folder at first, then the folder
they used last for the same purpose. Never the process's working directory, which for an app
started from a launcher is ``/`` or the install folder.

Only folder paths are kept (in the window's QSettings, beside its layout): no file name, no
URL, nothing secret. This sits with the view-models because it looks at the file system
(does the remembered folder still exist?), which views never do.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

#: One remembered folder per purpose: resumes come from Downloads, shortlists go elsewhere.
IMPORT, EXPORT, COPY = "import", "export", "copy"


def documents_folder() -> str:
    """The platform's documents folder, or the home folder when there is none on disk."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return documents
    return str(Path.home())


class FolderMemory:
    """Start folders for the dialogs, and the folder last used for each purpose."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def folder(self, purpose: str) -> str:
        """The folder to open the ``purpose`` dialog in (one that still exists)."""
        remembered = self._settings.value(f"dialogs/{purpose}_folder")
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return remembered
        return documents_folder()

    def suggest(self, purpose: str, file_name: str) -> str:
        """A save dialog's starting path: the file name inside the purpose's folder."""
        return os.path.join(self.folder(purpose), file_name)

    def remember(self, purpose: str, chosen: str, *, is_folder: bool = False) -> None:
        """Keep the folder of what the user picked (the folder itself for a folder dialog)."""
        if not chosen:
            return
        folder = Path(chosen) if is_folder else Path(chosen).parent
        if folder.is_absolute():
            self._settings.setValue(f"dialogs/{purpose}_folder", str(folder))
