"""Tables, engine factory and Alembic migrations."""
