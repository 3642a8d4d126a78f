"""Alembic environment: always run in-process by app.services.core.migrations with a live connection."""

from alembic import context

from app.models import Base
from app.services.core.migrations import is_modelled

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    include_name=is_modelled,
)
with context.begin_transaction():
    context.run_migrations()
