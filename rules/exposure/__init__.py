"""Rules of the `exposure` category."""
