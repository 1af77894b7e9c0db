"""Backup and restore of a whole installation (database and media) in one archive: the
``backup`` and ``restore`` management commands (see docs/drift.md)."""
