"""Pure rules of the domain: typed refusals and workflows (allowed transitions). No SQLAlchemy, no Qt."""
