"""Rules of the `retries` category."""
