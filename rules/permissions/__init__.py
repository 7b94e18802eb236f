"""Rules of the `permissions` category."""
