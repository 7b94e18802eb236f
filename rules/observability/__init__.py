"""Rules of the `observability` category."""
