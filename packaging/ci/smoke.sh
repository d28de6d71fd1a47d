#!/usr/bin/env bash
# Prove a built mfp-panel works: smoke.sh BIN (the bundle's executable, /usr/bin/mfp-panel, or a
# venv's .venv/bin/mfp-panel). Every step prints one line with its time; the first failure
# prints the step's output and exits 1. Runs as any user, in a throwaway HOME; needs curl,
# xvfb-run, dbus-run-session, gnome-keyring-daemon and secret-tool (Debian: curl xvfb xauth
# dbus gnome-keyring libsecret-tools).
set -euo pipefail
bin=${1:?usage: smoke.sh BIN}
work=$(mktemp -d "${TMPDIR:-/tmp}/mfp-smoke.XXXXXX")
server_pid=
networks_pid=
cleanup() {
    for pid in $server_pid $networks_pid; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
    XDG_CACHE_HOME=$work/home/.cache XDG_RUNTIME_DIR=$work/run TMPDIR=$work/tmp
mkdir -p "$HOME" "$TMPDIR" && mkdir -m 0700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM DBUS_SESSION_BUS_ADDRESS
echo "smoke: $bin as $(id -un), $(date -u +%FT%TZ)"

step() {  # step NAME COMMAND... : run it, keep its output in $out, say how long it took
    local name=$1 started=$SECONDS
    shift
    if out=$("$@" 2>&1); then
        printf 'smoke: %-66s ok (%d s)\n' "$name" $((SECONDS - started))
    else
        printf 'smoke: %-66s FAILED (exit %d)\n' "$name" $?
        printf '%s\n' "$out" | tail -40 | sed 's/^/    /'
        exit 1
    fi
}
expect() {  # expect WHAT PATTERN : the last step's output matches
    if ! grep -Eq -- "$2" <<<"$out"; then
        echo "smoke: expected $1 (/$2/) in:"
        printf '%s\n' "$out" | tail -40 | sed 's/^/    /'
        exit 1
    fi
}
wait_for_line() {  # wait_for_line PID FILE PATTERN : a server prints its URL once it listens
    for _ in $(seq 300); do
        grep -Eq -- "$3" "$2" && return 0
        kill -0 "$1" 2>/dev/null || { cat "$2"; return 1; }
        sleep 0.1
    done
    cat "$2"
    return 1
}

step "version" "$bin" --version
expect "the version" '^mfp-panel [0-9]'

"$bin" server --port 0 --data "$work/server" --seed-demo >"$work/server.log" 2>&1 &
server_pid=$!
step "server starts (headless)" wait_for_line "$server_pid" "$work/server.log" 'listening on http'
url=$(sed -n 's/^mfp-panel server listening on \(http[^ ]*\).*/\1/p' "$work/server.log")
step "server serves its API document ($url)" curl -fsS "$url/api/openapi.json"
expect "an OpenAPI document" '"openapi"'
step "server serves the operator console" curl -fsS "$url/operator"
expect "the console page" '<html'
step "  and its script" curl -fsS -o /dev/null "$url/operator/operator.js"
# A 1x1 PNG: one page.
base64 -d >"$work/page.png" <<<'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
step "server submit: a job held for user 1001" "$bin" server submit --server "$url" --user 1001 "$work/page.png"
expect "the held job" 'held until the user logs in'
"$bin" networks --upstream "${url#http://}" --control-port 0 >"$work/networks.log" 2>&1 &
networks_pid=$!
step "simulated networks start in front of it" \
    wait_for_line "$networks_pid" "$work/networks.log" 'control API on http'
control=$(sed -n 's/.*control API on \(http[^ ]*\).*/\1/p' "$work/networks.log")
lan=$(sed -n 's/^ *Wired LAN *\(127\.0\.0\.1:[0-9]*\) .*/\1/p' "$work/networks.log")
step "  a request through Wired LAN ($lan) reaches the server" curl -fsS "http://$lan/api/openapi.json"
expect "the OpenAPI document" '"openapi"'
step "  their control API lists them" curl -fsS "$control/proxies"
expect "both networks" '"Wired LAN".*"LTE"|"LTE".*"Wired LAN"'
kill "$networks_pid" && wait "$networks_pid" 2>/dev/null || true
networks_pid=
step "jobs round-trip to a headless device (bench push)" "$bin" bench push --jobs 20 --json
expect "20 jobs pushed" '"jobs": 20'

step "the demo paints offscreen" env QT_QPA_PLATFORM=offscreen "$bin" demo --exit-after-paint
expect "a painted panel" '^PAINTED '
step "the demo paints under Xvfb (xcb)" env QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1280x800x24" "$bin" demo --exit-after-paint
expect "a painted panel" '^PAINTED '
if grep -q "Could not load the Qt platform plugin" <<<"$out"; then
    echo "smoke: Qt could not load a platform plugin:"; printf '%s\n' "$out" | sed 's/^/    /'
    exit 1
fi
left=$(find "$TMPDIR" -maxdepth 1 -name 'mfp-panel-demo-*')
[ -z "$left" ] || { echo "smoke: the demo left its data behind: $left"; exit 1; }
step "bench startup (panel vs. a bare window)" env QT_QPA_PLATFORM=offscreen \
    "$bin" bench startup --runs 1 --json
expect "a startup ratio" '"startup_ratio"'
step "DNS-SD on loopback (bench wake --runs 1)" "$bin" bench wake --runs 1 --json
expect "a wake figure" '"wake_proxy_median_ms"'
step "QR: phone -> camera -> zxing-cpp -> fetch (bench qr --runs 1)" \
    "$bin" bench qr --runs 1 --json
expect "the QR figures" '"qr_to_projected_median_ms"'

# The device secret in a real Secret Service: gnome-keyring on a private D-Bus session.
keyring_run() {
    dbus-run-session -- sh -c '
        printf "%s" smoke-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        QT_QPA_PLATFORM=offscreen "$1" run --server "$2" --name smoke --exit-after-paint &&
        secret-tool search --all service mfp-panel 2>&1' sh "$bin" "$url"
}
step "run registers, its secret in gnome-keyring (D-Bus)" keyring_run
expect "the secret in the keyring" 'attribute\.service = mfp-panel'
step "  and its settings keep the device id" cat "$XDG_CONFIG_HOME/mfp-panel/devices/smoke.json"
expect "a device id" '"device_id": "dev-'

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[ "$status" -eq 0 ] || { echo "smoke: the server exited $status on SIGTERM"; cat "$work/server.log"; exit 1; }
echo "smoke: server stopped cleanly on SIGTERM"
echo "smoke: all passed"
