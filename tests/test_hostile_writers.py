"""Writers side by side: an index run's long write transaction on the cache never holds the
user's state, so a star, a read mark or a second ``index`` remembering its sources is saved
at once while it runs (it waited, and failed with "database is locked" under load)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsreader.store.library import Library
from newsreader.store.state import State

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

ID = "0123456789abcdef"


def state_path() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "newsreader" / "state.sqlite"


@pytest.mark.parametrize("who", ["this process (the app)", "another process (the CLI)"])
def test_an_index_transaction_never_locks_the_users_state(who: str):
    library = Library()
    library.db.execute("BEGIN IMMEDIATE")  # what index holds for its whole run, between commits
    try:
        library.db.execute("SELECT count(*) FROM state.starred").fetchone()  # and reads the state in it
        state = library.state if who.startswith("this") else State(state_path())
        state.db.execute("PRAGMA busy_timeout = 200")  # (30 s in use: the test need not wait that long)
        state.set_starred(ID)
        state.set_read_many([ID])
        state.add_sources(["/archive/one"])
        state.put("script", "traditional")
        assert state.problem == ""
    finally:
        library.db.execute("COMMIT")
    starred = library.db.execute("SELECT count(*) FROM state.starred WHERE article_id = ?", (ID,)).fetchone()[0]
    assert starred == 1  # the cache's reads see the state's writes once its transaction ends
    assert "/archive/one" in library.sources()
    library.close()
