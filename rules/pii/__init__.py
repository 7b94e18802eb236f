"""Rules of the `pii` category."""
