"""Ending a write transaction that failed, in one place for every writer of the cache."""

from __future__ import annotations

import sqlite3


def rollback(connection: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already: on a full disk or an I/O
    error it ends the transaction itself, and a ROLLBACK then would hide the real error
    behind "cannot rollback - no transaction is active"."""
    if connection.in_transaction:
        connection.execute("ROLLBACK")
