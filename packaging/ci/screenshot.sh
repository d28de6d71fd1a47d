#!/usr/bin/env bash
# The README's screenshot of the installed package: `mfp-panel demo` from /usr/bin under Xvfb
# (no window manager), grabbed once its device is online by Qt from the project's .venv, and
# cropped to the windows. Usage: packaging/ci/screenshot.sh [OUT.png] (after installing the .deb)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-docs/screenshots/installed-demo.png}")
work=$(mktemp -d "${TMPDIR:-/tmp}/mfp-shot.XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait; rm -rf "$work"' EXIT
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1680x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display QT_QPA_PLATFORM=xcb TMPDIR=$work XDG_RUNTIME_DIR=$work
mkdir -p "$work/home" && export HOME=$work/home
/usr/bin/mfp-panel demo >"$work/demo.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do  # until the demo's device is online (its trace says so)
    trace=$(sed -n 's/^  trace: *\(.*\)$/\1/p' "$work/demo.log")
    [ -n "$trace" ] && grep -q '"state":"online"' "$trace" 2>/dev/null && break
    sleep 0.1
done
grep -q '"state":"online"' "$trace" || { cat "$work/demo.log"; exit 1; }
sleep 1  # the first frames after coming online (network badges, the dock's log)
.venv/bin/python - "$out" <<'PY'
import sys

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
shot = app.primaryScreen().grabWindow(0).toImage()
black = QColor(0, 0, 0).rgb()
xs = [x for x in range(0, shot.width(), 4) if any(shot.pixel(x, y) != black for y in range(0, shot.height(), 4))]
ys = [y for y in range(0, shot.height(), 4) if any(shot.pixel(x, y) != black for x in range(0, shot.width(), 4))]
shot = shot.copy(0, 0, min(shot.width(), max(xs) + 4), min(shot.height(), max(ys) + 4))
assert shot.save(sys.argv[1]), sys.argv[1]
print(f"{sys.argv[1]}: {shot.width()}x{shot.height()}")
PY
