#!/usr/bin/env bash
# Make mfp-panel_VERSION_amd64.deb around a built bundle (packaging/pyinstaller/build.sh), with
# plain dpkg-deb: the bundle in /opt/mfp-panel, /usr/bin/mfp-panel, a menu entry and its icon, a
# man page, copyright, and Depends on the system libraries the bundle leaves out, worked out
# from what its binaries need (dpkg -S on this Debian machine).
#   packaging/deb/build-deb.sh [BUNDLE_DIR [OUT_DIR]]   (defaults: build/dist/mfp-panel, build)
#   COMPRESS=xz (the default, for releases: smaller) or COMPRESS=zstd (CI: ~50x faster)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/deb
bundle=$(realpath "${1:-build/dist/mfp-panel}")
out=$(realpath "${2:-build}")
compress=${COMPRESS:-xz}
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' panel/__init__.py)
[ -x "$bundle/mfp-panel" ] || { echo "build-deb.sh: no bundle at $bundle" >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/mfp-panel-deb.XXXXXX")
trap 'rm -rf "$root"' EXIT
install -d "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/man/man1" \
    "$root/usr/share/doc/mfp-panel" "$root/usr/share/lintian/overrides"
cp -a "$bundle" "$root/opt/mfp-panel"
# Only the program is executable; libraries and data are not (lintian, and plain sense).
find "$root/opt/mfp-panel" -type f -exec chmod 0644 {} +
find "$root/opt/mfp-panel" -type d -exec chmod 0755 {} +
chmod 0755 "$root/opt/mfp-panel/mfp-panel"
ln -s /opt/mfp-panel/mfp-panel "$root/usr/bin/mfp-panel"
install -m 0644 "$here/mfp-panel.desktop" "$root/usr/share/applications/mfp-panel.desktop"
install -m 0644 resources/operator/favicon.svg \
    "$root/usr/share/icons/hicolor/scalable/apps/mfp-panel.svg"
gzip -9n <"$here/mfp-panel.1" >"$root/usr/share/man/man1/mfp-panel.1.gz"
install -m 0644 "$here/copyright" "$root/usr/share/doc/mfp-panel/copyright"
gzip -9n <"$here/changelog" >"$root/usr/share/doc/mfp-panel/changelog.gz"
grep -v '^#' "$here/lintian-overrides" >"$root/usr/share/lintian/overrides/mfp-panel"

# Depends: the package of every library a bundled binary needs that the bundle does not hold.
needed=$(find "$root/opt/mfp-panel" -type f \( -name '*.so*' -o -name mfp-panel \) -print0 |
    xargs -0 readelf -d 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
held=$(find "$root/opt/mfp-panel" -name '*.so*' -printf '%f\n' | sort -u)
missing=$(comm -23 <(echo "$needed") <(echo "$held"))
paths=()
for soname in $missing; do
    # awk reads to the end: an early exit would SIGPIPE ldconfig (141 under pipefail)
    path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64/ && !found {print $NF; found = 1}')
    [ -n "$path" ] || { echo "build-deb.sh: no system library $soname" >&2; exit 1; }
    paths+=("$path")
done
# One dpkg -S for all (each call reads dpkg's whole database); merged /usr registers a library
# under /lib or /usr/lib, so ask for both spellings.
variants=()
for path in "${paths[@]}"; do variants+=("$path" "/usr${path#/usr}" "${path#/usr}"); done
owners=$(dpkg -S "${variants[@]}" 2>/dev/null || true)
packages=()
for path in "${paths[@]}"; do
    base=${path##*/}
    pkg=$(awk -v b="/$base" 'index($0, b) == length($0) - length(b) + 1 {print $1; exit}' <<<"$owners")
    [ -n "$pkg" ] || { echo "build-deb.sh: no Debian package has $path" >&2; exit 1; }
    packages+=("${pkg%%:*}")
done
# Found by name at run time, not linked: D-Bus (Qt loads it), the keyboard data xkbcommon reads,
# font configuration and one font family.
packages+=(libdbus-1-3 xkb-data fontconfig fonts-dejavu-core)
depends=$(printf '%s\n' "${packages[@]}" | sort -u | grep -v '^libc6$' | paste -sd, | sed 's/,/, /g')
# glibc of the machine that built the bundle: Debian 12's 2.36 (PySide6 wheels need >= 2.34).
glibc=$(dpkg-query -W -f='${Version}' libc6 | cut -d- -f1)
depends="libc6 (>= $glibc), $depends"
# Japanese (issue 19): a CJK font for the glyphs DejaVu lacks (panel/ui/i18n.py CJK_FAMILIES);
# IPA Gothic is 4 MB, Noto CJK 57 MB.
depends="$depends, fonts-ipafont-gothic | fonts-noto-cjk"

(cd "$root" && find opt usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
cat >"$root/DEBIAN/control" <<CONTROL
Package: mfp-panel
Version: $version
Architecture: amd64
Maintainer: mfp-panel maintainers <mfp-panel@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Recommends: gnome-keyring
Section: misc
Priority: optional
Description: emulator of a printer's front panel and its cloud service
 A window that looks and behaves like a printer's touch panel, over a device
 core that talks to an emulated cloud service (users, devices, print jobs,
 push), with simulated networks and a QA dock. "mfp-panel demo" needs nothing
 set up. For demo and training workstations, QA staff who reproduce field
 issues, and service engineers.
 .
 The program, its Python and its Qt are in /opt/mfp-panel.
CONTROL

deb="$out/mfp-panel_${version}_amd64.deb"
mkdir -p "$out"
start=$(date +%s)
dpkg-deb --root-owner-group -Z"$compress" --build "$root" "$deb" >/dev/null
echo "deb: $deb  $(du -m "$deb" | cut -f1) MB ($compress, $(($(date +%s) - start)) s)"
echo "Depends: $depends"
