# Build the Windows installer: the PyInstaller bundle (packaging/pyinstaller/mfp-panel.spec),
# then an Inno Setup installer around it (mfp-panel.iss). NOT built or tested by CI here.
# Needs: Python 3.11+ (python.org), Inno Setup 6 (iscc.exe on PATH). From the repository root:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
.venv\Scripts\python.exe -m pip install --upgrade pip
.venv\Scripts\python.exe -m pip install -e . -r packaging\requirements.txt
.venv\Scripts\python.exe -m PyInstaller --noconfirm --clean `
    --distpath build\dist --workpath build\pyinstaller packaging\pyinstaller\mfp-panel.spec
# The bundle must start before it is packed: the version, then a panel that paints offscreen.
build\dist\mfp-panel\mfp-panel.exe --version
if ($LASTEXITCODE -ne 0) { throw "the bundle does not start" }
$env:QT_QPA_PLATFORM = "offscreen"
build\dist\mfp-panel\mfp-panel.exe demo --exit-after-paint
if ($LASTEXITCODE -ne 0) { throw "the demo does not paint" }
Remove-Item Env:QT_QPA_PLATFORM
$version = (Select-String -Path panel\__init__.py -Pattern '__version__ = "(.*)"').Matches[0].Groups[1].Value
iscc /DAppVersion=$version packaging\windows\mfp-panel.iss
