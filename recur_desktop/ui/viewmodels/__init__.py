"""View-models: Qt item models, commands and background work over the services."""
