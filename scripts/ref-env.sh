#!/usr/bin/env bash
# Creates (or reuses) the reference-implementation venv used to produce conformance
# expectations and to drive real clients in tests. Versions are pinned here and recorded in the
# header line of every vector file the scripts write.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
venv="${PYPACKAGING_REF_VENV:-$here/target/ref-venv}"
pins=(packaging==26.3 pip==26.3 pypi-simple==1.8.0 html5lib==1.1)
stamp="$venv/.pins"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >&2
  echo "${pins[*]}" > "$stamp"
fi
echo "$venv/bin/python"
