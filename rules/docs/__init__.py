"""Rules of the `docs` category."""
