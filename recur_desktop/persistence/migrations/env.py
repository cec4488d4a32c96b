"""Alembic environment: always run by the app with a connection handed in."""

from alembic import context

from recur_desktop.persistence.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the app always passes one
    raise RuntimeError("run migrations through recur_desktop.persistence.engine.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # ALTER TABLE on SQLite needs the copy-and-move strategy.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
