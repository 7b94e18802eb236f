"""Rules of the `timeouts` category."""
