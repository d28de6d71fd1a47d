#!/usr/bin/env bash
# Build "MFP Panel.app" (PyInstaller's BUNDLE in packaging/pyinstaller/mfp-panel.spec) and an
# installer package with pkgbuild + productbuild. NOT built or tested by CI here.
# Needs: macOS 12+, Python 3.11+ (python.org or Homebrew), Xcode command line tools.
# For distribution set SIGN_APP ("Developer ID Application: ...") and SIGN_PKG ("Developer ID
# Installer: ..."), then notarize the .pkg (xcrun notarytool submit ... --wait; xcrun stapler).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --upgrade pip
.venv/bin/python -m pip install -e . -r packaging/requirements.txt
.venv/bin/python -m PyInstaller --noconfirm --clean \
    --distpath build/dist --workpath build/pyinstaller packaging/pyinstaller/mfp-panel.spec
app="build/dist/MFP Panel.app"
# The bundle must start before it is packed: the version, then a panel that paints offscreen.
"$app/Contents/MacOS/mfp-panel" --version
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/mfp-panel" demo --exit-after-paint
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' panel/__init__.py)
if [ -n "${SIGN_APP:-}" ]; then
    codesign --deep --force --options runtime --timestamp --sign "$SIGN_APP" "$app"
fi
pkgbuild --component "$app" --install-location /Applications \
    --identifier io.github.mfp-panel --version "$version" build/mfp-panel-component.pkg
productbuild --package build/mfp-panel-component.pkg ${SIGN_PKG:+--sign "$SIGN_PKG"} \
    "build/mfp-panel-$version.pkg"
echo "built build/mfp-panel-$version.pkg"
