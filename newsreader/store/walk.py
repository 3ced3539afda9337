"""Finding the files to index: walking the sources, and a quick look for whether they changed."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator

from newsreader import paths

Report = Callable[[str, str], None]

MAX_DEPTH = 64  # folders below a source; deeper ones are skipped with a word


def _not_regular(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__


def walk(roots: list[str], dirs: dict[str, int], skip: Report | None = None) -> Iterator[tuple[str, int, int]]:
    """Every regular file under ``roots`` as (path, size, mtime_ns); each real folder once.

    Paths in and out are newsreader's path text (see :mod:`newsreader.paths`). Only regular
    files are yielded: named pipes, devices and sockets are skipped, as are unreadable
    folders and folders more than :data:`MAX_DEPTH` deep — each named through ``skip``
    with the reason. Links are followed, but a folder already walked (by device and inode)
    is not walked again, so a link back to a parent cannot loop. Hidden files and folders
    are skipped silently. Each walked folder's mtime goes into ``dirs``.
    """
    def skipped(path: str, why: str) -> None:
        if skip:
            skip(path, f"skipped: {why}")

    visited: set[tuple[int, int]] = set()
    for root in roots:
        try:
            root_stat = os.stat(paths.external(root))
        except FileNotFoundError:
            continue  # a source that is gone: its files leave the cache
        except OSError as error:
            skipped(root, f"cannot read it ({_why(error)})")
            continue
        if stat.S_ISREG(root_stat.st_mode):
            yield root, root_stat.st_size, root_stat.st_mtime_ns
            continue
        if not stat.S_ISDIR(root_stat.st_mode):
            skipped(root, f"{_not_regular(root_stat.st_mode)}, only regular files are read")
            continue
        stack = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                folder_stat = os.stat(paths.external(folder))
                identity = (folder_stat.st_dev, folder_stat.st_ino)
                if identity in visited:
                    continue
                visited.add(identity)
                entries = sorted(os.scandir(paths.external(folder)), key=lambda e: e.name)
            except OSError as error:
                skipped(folder, f"cannot read the folder ({_why(error)})")
                continue
            dirs[folder] = folder_stat.st_mtime_ns
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = paths.internal(entry.path)
                try:
                    if entry.is_dir():
                        if depth + 1 > MAX_DEPTH:
                            skipped(path, f"a folder more than {MAX_DEPTH} folders deep")
                        else:
                            subfolders.append((path, depth + 1))
                    elif entry.is_file():
                        entry_stat = entry.stat()
                        yield path, entry_stat.st_size, entry_stat.st_mtime_ns
                    elif entry.is_symlink() and not os.path.exists(entry.path):
                        skipped(path, "a link to nothing")
                    else:
                        skipped(path, f"{_not_regular(entry.stat().st_mode)}, only regular files are read")
                except OSError as error:
                    skipped(path, f"cannot read it ({_why(error)})")
            stack.extend(reversed(subfolders))


def under(path: str, roots: list[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one."""
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


class Under:
    """:func:`under` for many paths of few folders: asked once per folder (a path is under a
    root when its folder is, or when it is a root itself) — a million files' re-index asked
    it two million times."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = [r.rstrip(os.sep) for r in roots]  # a folder that is a root is under it
        self.exact = set(roots)
        self.folders: dict[str, bool] = {}

    def __call__(self, path: str) -> bool:
        folder = os.path.dirname(path)
        found = self.folders.get(folder)
        if found is None:
            found = self.folders[folder] = under(folder, self.roots)
        return found or path in self.exact


def sources_changed(db: sqlite3.Connection, roots: list[str]) -> bool:
    """A quick look (folder mtimes, no file stats) for whether the sources need indexing."""
    known = dict(db.execute("SELECT path, mtime_ns FROM dirs"))
    if not db.execute("SELECT 1 FROM files LIMIT 1").fetchone():
        return True
    if db.execute("SELECT 1 FROM pending LIMIT 1").fetchone():
        return True  # an interrupted run left files catalogued but not yet parsed in full
    for root in roots:
        if os.path.isdir(paths.external(root)):
            if root not in known:
                return True
        else:
            row = db.execute("SELECT size, mtime_ns FROM files WHERE path = ?", (root,)).fetchone()
            try:
                root_stat = os.stat(paths.external(root))
            except OSError:
                return row is not None
            if not stat.S_ISREG(root_stat.st_mode):
                continue  # a pipe or device given as a source is never read: nothing to index
            if row is None or row != (root_stat.st_size, root_stat.st_mtime_ns):
                return True
    for path, mtime in known.items():
        if not under(path, roots):
            return True
        try:
            if os.stat(paths.external(path)).st_mtime_ns != mtime:
                return True
        except OSError:
            return True
    if known:
        return False
    # Only single files are indexed (no folder to compare): one no longer a source means change.
    return any(not under(p, roots) for (p,) in db.execute("SELECT path FROM files"))

