#!/usr/bin/env python3
"""tests/vectors/tags.jsonl: target tag lists from pip 26.3 and packaging 26.3.

Pip mode: pip._internal.utils.compatibility_tags.get_supported(version, platforms, impl, abis),
what `pip download --python-version/--implementation/--abi/--platform` uses.
Expand mode: packaging.tags.sys_tags() as it runs on a native interpreter with that libc/OS,
emulated by patching the probes of packaging.tags (glibc/musl version, ELF check, platform).
Each case keeps the count, the first tags and a sha256 of the whole list (one tag per line).
"""
import hashlib
import re
import sysconfig

from packaging import _manylinux, _musllinux, tags
from pip._internal.utils.compatibility_tags import get_supported

from common import header, write

INTERPRETERS = [
    ("cp", "2.7", ["cp27mu"]),
    ("cp", "3.6", ["cp36m"]),
    ("cp", "3.7", ["cp37m"]),
    ("cp", "3.8", ["cp38"]),
    ("cp", "3.9", ["cp39"]),
    ("cp", "3.10", ["cp310"]),
    ("cp", "3.11", ["cp311"]),
    ("cp", "3.12", ["cp312"]),
    ("cp", "3.13", ["cp313"]),
    ("cp", "3.13", ["cp313t"]),
    ("cp", "3.14", ["cp314"]),
    ("cp", "3.14", ["cp314t"]),
    ("cp", "3.15", ["cp315t", "abi3t", "none"]),
    ("cp", "3.13", ["cp313d", "cp313"]),
    ("cp", "3.12", ["cp312", "abi3", "none"]),
    ("cp", "3", ["cp3"]),
    ("pp", "3.10", ["pypy310_pp73"]),
    ("pp", "3.9", ["pypy39_pp73"]),
    ("graalpy", "3.11", ["graalpy311_graalpy242_native"]),
]

PLATFORM_SETS = [
    ["manylinux_2_28_x86_64"],
    ["manylinux_2_17_aarch64"],
    ["manylinux2014_x86_64"],
    ["manylinux2010_i686"],
    ["manylinux1_x86_64"],
    ["manylinux_2_31_armv7l"],
    ["manylinux_2_35_ppc64le"],
    ["manylinux_2_39_s390x"],
    ["manylinux_3_2_riscv64"],
    ["musllinux_1_2_x86_64"],
    ["musllinux_1_1_aarch64"],
    ["linux_x86_64"],
    ["macosx_10_9_x86_64"],
    ["macosx_11_0_arm64"],
    ["macosx_14_0_arm64"],
    ["macosx_15_2_x86_64"],
    ["macosx_10_15_universal2"],
    ["macosx_10_6_intel"],
    ["macosx_10_5_ppc"],
    ["macosx_10_5_i386"],
    ["macosx_10_4_ppc64"],
    ["win_amd64"],
    ["win32"],
    ["win_arm64"],
    ["ios_13_0_arm64_iphoneos"],
    ["ios_17_2_arm64_iphonesimulator"],
    ["android_24_arm64_v8a"],
    ["android_21_x86_64"],
    ["pyemscripten_2026_0_wasm32", "emscripten_4_0_9_wasm32"],
    ["pyodide_2024_0_wasm32"],
    ["any"],
    ["freebsd_14_0_release_amd64"],
    ["manylinux_2_28_x86_64", "manylinux_2_28_aarch64"],
    ["manylinux2014_x86_64", "linux_x86_64", "musllinux_1_2_x86_64"],
    ["macosx_11_0_arm64", "macosx_10_12_x86_64"],
    ["Win_AMD64"],
]


def native_platforms(platform):
    m = re.fullmatch(r"manylinux_(\d+)_(\d+)_(.+)", platform)
    legacy = re.fullmatch(r"manylinux(1|2010|2014)_(.+)", platform)
    musl = re.fullmatch(r"musllinux_(\d+)_(\d+)_(.+)", platform)
    if m or legacy or musl:
        if m:
            glibc, arch = (int(m[1]), int(m[2])), m[3]
        elif legacy:
            glibc, arch = {"1": (2, 5), "2010": (2, 12), "2014": (2, 17)}[legacy[1]], legacy[2]
        else:
            glibc, arch = (-1, -1), musl[3]
        musl_version = _musllinux._MuslVersion(int(musl[1]), int(musl[2])) if musl else None
        _manylinux._get_glibc_version = lambda: _manylinux._GLibCVersion(*glibc)
        _manylinux._have_compatible_abi = lambda executable, archs: True
        _musllinux._get_musl_version = lambda executable: musl_version
        sysconfig.get_platform = lambda: f"linux-{arch}"
        return list(tags._linux_platforms(is_32bit=False))
    m = re.fullmatch(r"macosx_(\d+)_(\d+)_(.+)", platform)
    if m:
        return list(tags.mac_platforms((int(m[1]), int(m[2])), m[3]))
    m = re.fullmatch(r"ios_(\d+)_(\d+)_(.+)", platform)
    if m:
        return list(tags.ios_platforms((int(m[1]), int(m[2])), m[3]))
    m = re.fullmatch(r"android_(\d+)_(.+)", platform)
    if m:
        return list(tags.android_platforms(int(m[1]), m[2]))
    return [platform]


def dedup(items):
    seen, out = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def expanded(impl, version, abis, platforms):
    plats = dedup([p for platform in platforms for p in native_platforms(platform.lower())])
    pv = tuple(int(x) for x in version.split("."))
    nodot = "".join(version.split("."))
    if impl == "cp":
        result = list(tags.cpython_tags(pv, abis, plats))
        result += tags.compatible_tags(pv, f"cp{nodot}", plats)
    else:
        result = list(tags.generic_tags(f"{impl}{nodot}", abis, plats))
        result += tags.compatible_tags(pv, "pp3" if impl == "pp" else None, plats)
    return result


def pip_mode(impl, version, abis, platforms):
    return get_supported("".join(version.split(".")), platforms, impl, abis)


def case(mode, impl, version, abis, platforms):
    args = ["--python", version, "--implementation", impl]
    for abi in abis:
        args += ["--abi", abi]
    for platform in platforms:
        args += ["--platform", platform]
    if mode == "expand":
        args.append("--expand")
        result = expanded(impl, version, abis, platforms)
    else:
        result = pip_mode(impl, version, abis, platforms)
    lines = dedup(str(t) for t in result)
    text = "".join(line + "\n" for line in lines)
    return {
        "args": args,
        "count": len(lines),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "head": lines[:8],
    }


if __name__ == "__main__":
    rows = []
    for impl, version, abis in INTERPRETERS:
        for platforms in PLATFORM_SETS:
            for mode in ("pip", "expand"):
                if mode == "expand" and version == "3":
                    continue  # sys_tags always knows the minor version
                rows.append(case(mode, impl, version, abis, platforms))
    write(
        "tags.jsonl",
        header(source="every interpreter x platform set in scripts/vectors/tags.py, pip and expand modes"),
        rows,
    )
