"""Errors the library raises that the CLI and the app tell the user about."""

from __future__ import annotations


class NotFound(LookupError):
    """No article (or nothing at all) matched."""
