"""Rules of the `validation` category."""
