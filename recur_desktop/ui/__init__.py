"""The desktop window: view-models (Qt models, commands, background work) and views (widgets).

Views bind to view-models only; view-models call the Qt-free services through the task bridge
in :mod:`recur_desktop.ui.tasks`, so the GUI thread never waits on the database, the object
store or the disk.
"""

from recur_desktop.ui import qtcompat

# Before any widget, model or signal of ours runs: see the module for the bug it guards against.
qtcompat.install()
