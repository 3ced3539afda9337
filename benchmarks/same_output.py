"""Did a speed or size change alter anything an article becomes? Dump, change, dump, compare.

    python benchmarks/same_output.py dump OUT.jsonl [FOLDER ...]
    python benchmarks/same_output.py compare BEFORE.jsonl AFTER.jsonl

``dump`` writes, for every article of the folders (default: both corpus samples), what the
worker stores — the search tokens, the characters index's tokens, the script, the text,
clean HTML, media and links of the frame — and what ``show --json`` prints for it (the
``export`` command's lines, the same dict), one JSON object a line, sorted by article id.
``compare`` names every article and field that differ and exits 1 if any does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from newsreader.store import bodies  # noqa: E402
from newsreader.store.prepare import prepare  # noqa: E402

CORPUS = HERE.parent.parent.parent / "shared" / "corpus"
DEFAULT = [CORPUS / "jekyll-sample", CORPUS / "waimei-sample"]


class _NoDictionary:
    """Stands in for the cache: frames made without a dictionary need none."""

    def execute(self, *_args: object) -> None:
        raise AssertionError("a frame without a dictionary asked for one")


def rows(folders: list[Path]) -> dict[str, dict]:
    """What the worker makes of every file, by article id (frames unpacked)."""
    out: dict[str, dict] = {}
    for folder in folders:
        if not folder.is_dir():
            raise SystemExit(f"{folder}: no such folder")
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
            result = prepare(str(path))
            if result.error:
                out[f"error:{path}"] = {"error": result.error}
            for row in result.rows:
                fields = asdict(row)
                body = bodies.unpack(_NoDictionary(), fields.pop("data"))  # type: ignore[arg-type]
                fields.update(html=body.html, text=body.text, media=[asdict(m) for m in body.media],
                              links=[asdict(link) for link in body.links])
                out[row.id] = fields
    return out


def shown(folders: list[Path]) -> dict[str, dict]:
    """``export`` (each line is ``show --json``'s dict) of the folders indexed in a fresh home."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, XDG_CACHE_HOME=f"{home}/c", XDG_DATA_HOME=f"{home}/d", XDG_CONFIG_HOME=f"{home}/f")
        run = [sys.executable, "-m", "newsreader"]
        subprocess.run([*run, "index", *map(str, folders)], env=env, check=True, capture_output=True)
        lines = subprocess.run([*run, "export"], env=env, check=True, capture_output=True, text=True).stdout
    return {item["id"]: item for item in map(json.loads, lines.splitlines())}


def dump(target: Path, folders: list[Path]) -> None:
    """Write the worker's rows and the shown articles, one line per article."""
    made, printed = rows(folders), shown(folders)
    with target.open("w", encoding="utf-8") as handle:
        for key in sorted(set(made) | set(printed)):
            handle.write(json.dumps({"id": key, "row": made.get(key), "shown": printed.get(key)},
                                    ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(made)} rows, {len(printed)} shown articles -> {target}")


def compare(before: Path, after: Path) -> int:
    """Print every difference; 1 if there is any."""
    def load(path: Path) -> dict[str, dict]:
        return {item["id"]: item for item in map(json.loads, path.read_text(encoding="utf-8").splitlines())}

    old, new = load(before), load(after)
    differences = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            print(f"{key}: only {'after' if a is None else 'before'}")
            differences += 1
            continue
        for part in ("row", "shown"):
            x, y = a[part] or {}, b[part] or {}
            for name in sorted(set(x) | set(y)):
                if x.get(name) != y.get(name):
                    differences += 1
                    print(f"{key} {part}.{name}: {str(x.get(name))[:160]!r} -> {str(y.get(name))[:160]!r}")
    print(f"{len(new)} articles, {differences} differences")
    return 1 if differences else 0


def main() -> int:
    """dump or compare."""
    if len(sys.argv) >= 3 and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), [Path(a).absolute() for a in sys.argv[3:]] or DEFAULT)
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        return compare(Path(sys.argv[2]), Path(sys.argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
