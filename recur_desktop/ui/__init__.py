"""The desktop window: view-models (Qt models, commands, background work) and views (widgets).

Views bind to view-models only; view-models call the Qt-free services through the task bridge
in :mod:`recur_desktop.ui.tasks`, so the GUI thread never waits on the database, the object
store or the disk.
"""
