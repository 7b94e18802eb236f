"""Rules of the `cleanup` category."""
