#!/usr/bin/env bash
# Build the bundle and the .deb, smoke-test the bundle, lint the .deb, install it with apt-get,
# smoke-test /usr/bin/mfp-panel as an unprivileged user (and measure its start-up), remove it,
# and check that nothing is left in /opt or /usr. Run as root on a Debian machine with the
# build and smoke tools (.ci/run installs them). COMPRESS=zstd (the default: CI, fast) or xz
# (releases, smaller). Everything goes to build/package/.
set -euo pipefail
cd "$(dirname "$0")/../.."
compress=${COMPRESS:-zstd}
out=build/package
user=mfp-smoke
t0=$SECONDS
section() { printf '\n== %s  (at %d s)\n' "$*" $((SECONDS - t0)); }
rm -rf "$out" && mkdir -p "$out"

section "bundle (PyInstaller)"
packaging/pyinstaller/build.sh "$out/dist"
bundle_mb=$(du -sm "$out/dist/mfp-panel" | cut -f1)

section "smoke test: the bundle"
packaging/ci/smoke.sh "$PWD/$out/dist/mfp-panel/mfp-panel"

section ".deb ($compress)"
COMPRESS=$compress packaging/deb/build-deb.sh "$out/dist/mfp-panel" "$out"
deb=$(echo "$out"/mfp-panel_*_amd64.deb)
deb_mb=$(du -m "$deb" | cut -f1)

section "lintian"
lint_deb=$deb
if [ "$compress" = zstd ]; then
    # Debian 12's lintian reads only gzip/xz members ("malformed-deb-archive"), though its dpkg
    # installs zstd: lint the same tree repacked with gzip -1.
    dpkg-deb -R "$deb" "$out/lint-root"
    dpkg-deb --root-owner-group -Zgzip -z1 --build "$out/lint-root" "$out/lint.deb" >/dev/null
    rm -rf "$out/lint-root"
    lint_deb=$out/lint.deb
    echo "(linting $lint_deb: the same contents, gzip)"
fi
lint_status=0
lintian --display-level '>=warning' "$lint_deb" >"$out/lintian.log" 2>&1 || lint_status=$?
grep -v 'running with root' "$out/lintian.log" || true
errors=$(grep -c '^E: ' "$out/lintian.log" || true)
warnings=$(grep -c '^W: ' "$out/lintian.log" || true)
lint_result="$errors errors, $warnings warnings"
echo "lintian: $lint_result"
[ "$errors" -eq 0 ] && [ "$lint_status" -eq 0 ] || { echo "lintian failed" >&2; exit 1; }

section "install: apt-get install ./$(basename "$deb")"
named() { find /opt /usr -xdev -name '*mfp-panel*' 2>/dev/null | sort; }
before=$(named)
started=$SECONDS
apt-get install -y -qq --no-install-recommends "./$deb" >"$out/apt-install.log" 2>&1 ||
    { cat "$out/apt-install.log"; exit 1; }
echo "installed in $((SECONDS - started)) s: $(readlink /usr/bin/mfp-panel)"
dpkg -L mfp-panel | sort >"$out/files"

section "smoke test: /usr/bin/mfp-panel as the unprivileged user $user"
if ! id "$user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    # The user exists for this run only: the machine is left as it was found, pass or fail.
    trap 'userdel "$user" 2>/dev/null || true' EXIT
fi
as_user=$(mktemp -d /tmp/mfp-smoke-user.XXXXXX) && chmod 0755 "$as_user"
install -m 0755 packaging/ci/smoke.sh "$as_user/smoke.sh"
mkdir "$as_user/home" && chown "$user" "$as_user/home"
# A clean environment, as a user's login has: nothing of root's (runtime dir, bus, TMPDIR).
user_env=(env -i HOME="$as_user/home" PATH=/usr/local/bin:/usr/bin:/bin TMPDIR=/tmp LANG=C.UTF-8)
runuser -u "$user" -- "${user_env[@]}" "$as_user/smoke.sh" /usr/bin/mfp-panel

section "start-up of the installed program: mfp-panel bench startup --json"
startup=$(cd / && runuser -u "$user" -- "${user_env[@]}" QT_QPA_PLATFORM=offscreen \
    mfp-panel bench startup --json)
echo "$startup"
rm -rf "$as_user"

section "remove: apt-get purge mfp-panel"
started=$SECONDS
apt-get purge -y -qq mfp-panel >"$out/apt-remove.log" 2>&1 || { cat "$out/apt-remove.log"; exit 1; }
echo "removed in $((SECONDS - started)) s"
left=$(comm -13 <(echo "$before") <(named))
while read -r path; do
    [ -e "$path" ] && [ ! -d "$path" ] && left+=$'\n'"$path"
done <"$out/files"
if [ -n "${left//$'\n'/}" ]; then
    echo "left behind after removal:$left" >&2
    exit 1
fi
echo "nothing left in /opt or /usr"

section "summary"
echo "bundle ${bundle_mb} MB; .deb ${deb_mb} MB ($compress); lintian: $lint_result"
echo "installed startup: $startup"
echo "package-and-smoke: passed in $((SECONDS - t0)) s"
