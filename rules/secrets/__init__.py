"""Rules of the `secrets` category."""
