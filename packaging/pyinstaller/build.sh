#!/usr/bin/env bash
# Build the one-folder bundle: DIST/mfp-panel/mfp-panel (default DIST: build/dist).
# Needs PyInstaller in the Python that runs it (PYTHON, default .venv/bin/python), beside the
# project and its dependencies, and binutils (strip). Prints the bundle's size; fails if a Qt
# plugin or a system library the allow-list keeps out got in anyway, or if it is over 120 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
DIST=${1:-build/dist}
WORK=${WORK:-build/pyinstaller}
MAX_MB=${MAX_MB:-120}
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/pyinstaller/mfp-panel.spec
bundle=$DIST/mfp-panel
internal=$bundle/_internal
bad=$(cd "$internal" && { ls PySide6/Qt/plugins/platformthemes 2>/dev/null; ls libgtk-3* 2>/dev/null; } || true)
if [ -n "$bad" ]; then
    echo "build.sh: left out on purpose, but in the bundle: $bad" >&2
    exit 1
fi
size_mb=$(du -sm "$bundle" | cut -f1)
echo "bundle: $bundle  ${size_mb} MB, $(find "$bundle" -type f | wc -l) files, built in $(($(date +%s) - start)) s"
if [ "$size_mb" -gt "$MAX_MB" ]; then
    echo "build.sh: the bundle is ${size_mb} MB, over the ${MAX_MB} MB goal" >&2
    exit 1
fi
