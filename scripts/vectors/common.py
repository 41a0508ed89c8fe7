"""Shared by the vector generators in this folder: file layout and the header line."""
import json
import platform
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"


def header(**extra):
    """The first line of a vector file: who produced the expectations, with which versions."""
    return {
        "generator": f"scripts/vectors/{Path(sys.argv[0]).name}",
        "python": platform.python_version(),
        "packaging": version("packaging"),
        "pip": version("pip"),
        **extra,
    }


def write(name, head, rows):
    """Writes tests/vectors/NAME: the header line, then one JSON object per case."""
    path = VECTORS / name
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(head, ensure_ascii=False) + "\n")
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} cases", file=sys.stderr)
