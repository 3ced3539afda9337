"""Regular expressions compiled on first use, not at import.

Python compiles a character class by visiting every code point of its ranges: a class of
the CJK blocks (~50,000 characters) takes 5-15 ms, and the modules every command imports
held a dozen such patterns (~0.1 s of each start, the app's first screen included).
A :class:`LazyPattern` stands where the compiled pattern stood; the first use compiles it
and keeps its methods on the instance, so later calls cost what the pattern's own do.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first use of any attribute."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        compiled: re.Pattern[str] | None = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = re.compile(*self._source)
            self.__dict__["_compiled"] = compiled
        return compiled

    def __getattr__(self, name: str) -> Any:
        """``search``, ``sub``, ``finditer`` … of the compiled pattern, kept on the instance."""
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled when first used; typed as the compiled pattern it stands for."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]
