#!/usr/bin/env python3
"""tests/vectors/versions.jsonl and sort-versions.jsonl: packaging.version.Version."""
from packaging.version import InvalidVersion, Version

from common import ROOT, header, write

# Hand-made edge cases: each says what it probes.
TRICKY = [
    ("1.0", "plain"),
    ("v1.0", "leading v"),
    ("V1.0", "leading capital V"),
    (" 1.0 ", "surrounding spaces"),
    ("\t1.0\n", "surrounding tab and newline"),
    ("1.0.0RC1", "upper-case pre-release"),
    ("1.0a", "implicit pre-release number"),
    ("1.0-a1", "dash before pre-release"),
    ("1.0_a1", "underscore before pre-release"),
    ("1.0.a1", "dot before pre-release"),
    ("1.0alpha1", "alpha spelling"),
    ("1.0beta2", "beta spelling"),
    ("1.0c1", "c spelling"),
    ("1.0pre1", "pre spelling"),
    ("1.0preview1", "preview spelling"),
    ("1.0-1", "implicit post-release"),
    ("1.0.post", "implicit post number"),
    ("1.0-post1", "dash post"),
    ("1.0rev1", "rev spelling"),
    ("1.0r1", "r spelling"),
    ("1.0.dev", "implicit dev number"),
    ("1.0-dev1", "dash dev"),
    ("1.0dev1", "glued dev"),
    ("1!1.0", "epoch"),
    ("0!1.0", "zero epoch"),
    ("1.0+abc.5", "local"),
    ("1.0+ABC-def_5", "local separators and case"),
    ("1.0+", "empty local"),
    ("1.0+.a", "local starting with a dot"),
    ("1.0+a..b", "empty local segment"),
    ("01.002", "leading zeros"),
    ("1.0.0.0.0.0.0", "long release"),
    ("1.0.*", "wildcard is not a version"),
    ("1.0a1.post2.dev3", "every segment"),
    ("1.0.dev1.post1", "dev before post"),
    ("1.0a1a2", "two pre-releases"),
    ("", "empty"),
    ("1..0", "empty release segment"),
    ("1.", "trailing dot"),
    (".1", "leading dot"),
    ("1.0 a1", "inner space"),
    ("١.٠", "Arabic-Indic digits"),
    ("99999999999999999999", "larger than u64"),
    ("18446744073709551615", "u64 max"),
    ("18446744073709551616", "u64 max + 1"),
    ("1.0-", "trailing dash"),
    ("1.0+local-", "local trailing dash"),
    ("2024.1", "calendar version"),
    ("1.0rc", "rc without number"),
    ("1.0RC1.DEV2", "upper-case dev"),
    ("latest", "not a version"),
    ("\u00a01.0", "leading no-break space (str.strip removes it)"),
    ("1.0\u2003", "trailing em space"),
    ("\u30001.0\u3000", "ideographic spaces around"),
    ("\u20281.0\u2029", "line and paragraph separators around"),
    ("\x1c1.0\x1f", "information separators around (Python whitespace, not Unicode White_Space)"),
    ("\x851.0", "next line (U+0085)"),
    ("\u200b1.0", "zero-width space (not whitespace)"),
    ("\ufeff1.0", "byte order mark (not whitespace)"),
    ("1.0\u00a0a1", "inner no-break space"),
    ("1.0+\u212a", "Kelvin sign in local (IGNORECASE folds it to k)"),
    ("1.0\u017fpost1", "long s in post (folds to s)"),
]


def describe(text):
    try:
        v = Version(text)
    except InvalidVersion:
        return {"ok": False}
    return {
        "ok": True,
        "normalized": str(v),
        "epoch": v.epoch,
        "release": list(v.release),
        "pre": v.is_prerelease,
        "dev": v.is_devrelease,
        "local": v.local,
    }


def fits_u64(text):
    """Whether every number in the version fits pep440_rs's u64 (see expected_failures.txt)."""
    try:
        v = Version(text)
    except InvalidVersion:
        return True
    numbers = [v.epoch, *v.release, *(p[1] for p in (v.pre, (0, v.post), (0, v.dev)) if p and p[1] is not None)]
    return all(n < 2**64 for n in numbers)


def inputs():
    cases = list(TRICKY)
    for line in (ROOT / "benches" / "data" / "pypi-slice.tsv").read_text(encoding="utf-8").splitlines():
        cases.append((line.split("\t", 1)[1], "pypi"))
    return cases


def sort_case(texts, note):
    valid = [t for t in texts if describe(t)["ok"]]
    return {"input": texts, "sorted": sorted(valid, key=Version), "note": note}


if __name__ == "__main__":
    cases = inputs()
    write(
        "versions.jsonl",
        header(source="hand-made edge cases, then the version column of benches/data/pypi-slice.tsv"),
        [{"input": text, **describe(text), "note": note} for text, note in cases],
    )
    write(
        "sort-versions.jsonl",
        header(source="sorted(valid, key=Version): stable, so equal versions keep input order"),
        [
            sort_case(["1.0", "1.0.0", "1", "1.0.0.0", "v1.0"], "equal versions keep input order"),
            sort_case(["1.0", "1.0.dev1", "1.0a1", "1.0a1.dev1", "1.0.post1", "1.0.post1.dev1",
                       "1.0+local", "1.0rc1", "1!0.1", "0.9", "bad"], "every kind of segment"),
            sort_case(["1.0+a", "1.0+1", "1.0+a.1", "1.0+1.a", "1.0+b", "1.0"], "local versions"),
            sort_case([text for text, _ in cases if fits_u64(text)],
                      "every input of versions.jsonl but those with numbers beyond u64"),
        ],
    )
