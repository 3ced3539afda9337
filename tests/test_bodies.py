"""Article frames: HTML, text, media and links in one zstd frame, with the archive's dictionary."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
import zstandard

from newsreader.model import Link, Media
from newsreader.store import bodies, schema
from newsreader.store.library import Library

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


def test_a_frame_gives_back_what_went_in_with_or_without_a_dictionary():
    db = sqlite3.connect(":memory:")
    db.executescript(bodies.SCHEMA)
    html = "<p>香港\x00<b>選舉</b> \ud800</p>"  # a NUL and a lone surrogate must not break the frame
    media = [Media(kind="image", url="https://a.example/1.jpg", caption="圖")]
    links = [Link(text="鏈接", url="https://a.example/")]
    samples = [f"<p>第{n}篇 香港選舉 新聞 報導</p>".encode() * 40 for n in range(300)]
    trained = zstandard.train_dictionary(4096, samples)
    db.execute("INSERT INTO dictionaries VALUES (?, ?)", (trained.dict_id(), trained.as_bytes()))
    for dictionary in (None, trained.as_bytes()):
        frame = bodies.pack(html, "香港 選舉", media, links, dictionary)
        body = bodies.unpack(db, frame)
        assert body.html == html.replace("\ud800", "?")
        assert (body.text, body.media, body.links) == ("香港 選舉", media, links)
        assert bodies.text_of(db, frame) == "香港 選舉"
        assert zstandard.get_frame_parameters(frame).dict_id == (trained.dict_id() if dictionary else 0)


def test_a_damaged_frame_is_reported_as_a_damaged_cache():
    db = sqlite3.connect(":memory:")
    db.executescript(bodies.SCHEMA)
    frame = bodies.pack("<p>x</p>", "x", [], [])
    with pytest.raises(sqlite3.DatabaseError) as error:
        bodies.unpack(db, frame[:-3] + b"\xff\xff\xff")
    assert schema.is_corruption(error.value)


def test_a_big_first_index_trains_the_archive_dictionary_and_every_article_reads_back(tmp_path: Path):
    synth.build(tmp_path / "archive", bodies.TRAIN_AT_LEAST + 20, seed=3, body_chars=600, corpus=False)
    library = Library()
    library.index([str(tmp_path / "archive")])
    (dict_id,) = library.db.execute("SELECT id FROM dictionaries").fetchone()
    frames = [r[0] for r in library.db.execute("SELECT data FROM bodies")]
    assert len(frames) == bodies.TRAIN_AT_LEAST + 20
    assert {zstandard.get_frame_parameters(f).dict_id for f in frames} == {dict_id}
    listing = library.listings(limit=1)[0]
    detail = library.article(listing.id)
    assert detail.text and detail.body_html.startswith("<")
    assert detail.media  # media and links come back from the frame
    # a later small run keeps using the same dictionary
    stored = sum(len(f) for f in frames)
    text = sum(len(bodies.unpack(library.db, f).text.encode()) for f in frames)
    assert stored < text / 2  # HTML, text, media and links together in less than half the text


def test_the_text_of_a_giant_frame_can_be_read_in_part():
    db = sqlite3.connect(":memory:")
    db.executescript(bodies.SCHEMA)
    text = "香港" * 200_000
    frame = bodies.pack("<p>" + text + "</p>", text, [], [])
    assert bodies.text_of(db, frame, 3000) == "香港" * 500
    assert bodies.text_of(db, frame) == text
