"""newsreader: a terminal reader for archives of Chinese-language news."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__``, looked up when first asked for (the package imports nothing at start,
    so the command's signal handling is in place before anything slow runs)."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsreader")
    except PackageNotFoundError:  # running from a checkout that was not installed
        return "0+unknown"
