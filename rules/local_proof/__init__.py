"""Rules of the `local-proof` category."""
