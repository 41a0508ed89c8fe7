#!/usr/bin/env python3
"""tests/vectors/names.jsonl: packaging's canonicalize_name, with and without validate=True."""
from packaging.utils import InvalidName, canonicalize_name

from common import ROOT, header, write

# Hand-made edge cases for names: each says what it probes.
TRICKY_NAMES = [
    ("", "empty"),
    ("a", "one letter"),
    ("0", "one digit"),
    ("A", "upper-case letter"),
    ("-", "separator alone"),
    ("_a", "leading underscore"),
    ("a_", "trailing underscore"),
    (".a", "leading dot"),
    ("a.", "trailing dot"),
    ("a-", "trailing dash"),
    ("a--b", "run of dashes"),
    ("a-_.-b", "mixed separator run"),
    ("A__B..C--D", "several runs"),
    ("Friendly-Bard", "spec example"),
    ("FRIENDLY-BARD", "spec example"),
    ("friendly.bard", "spec example"),
    ("friendly_bard", "spec example"),
    ("friendly--bard", "spec example"),
    ("FrIeNdLy-._.-bArD", "spec example"),
    ("zope.interface", "dotted"),
    ("my package", "space inside"),
    (" requests", "leading space"),
    ("requests ", "trailing space"),
    ("requests\n", "trailing newline"),
    ("requests\t", "trailing tab"),
    ("caf\u00e9", "non-ASCII letter"),
    ("\u00c9cole", "non-ASCII upper-case letter"),
    ("a\u212a", "Kelvin sign folds to k"),
    ("\u017ftuff", "long s folds to s"),
    ("\u0130stanbul", "dotted capital I lowers to two code points"),
    ("\u039f\u0394\u039f\u03a3", "Greek capital sigma at the end"),
    ("\uff21", "full-width A"),
    ("a+b", "plus"),
    ("a/b", "slash"),
    ("a\\b", "backslash"),
    ("a@b", "at sign"),
    ("a!", "exclamation"),
    ("a\u0000b", "NUL"),
    ("1.0", "digits and dot"),
    ("---", "only separators"),
    ("._-", "only mixed separators"),
    ("x" * 300, "long"),
    ("Django", "packaging docstring"),
    ("oslo.concurrency", "packaging docstring"),
]


def names():
    cases = [(name, note) for name, note in TRICKY_NAMES]
    slice_path = ROOT / "benches" / "data" / "pypi-slice.tsv"
    for line in slice_path.read_text(encoding="utf-8").splitlines():
        cases.append((line.split("\t", 1)[0], "pypi"))
    out = []
    for name, note in cases:
        try:
            canonicalize_name(name, validate=True)
            valid = True
        except InvalidName:
            valid = False
        out.append({"input": name, "normalized": canonicalize_name(name), "valid": valid, "note": note})
    return header(source="hand-made edge cases, then every name in benches/data/pypi-slice.tsv"), out


if __name__ == "__main__":
    write("names.jsonl", *names())
