"""The frozen program's entry point: the same as `python -m panel` (panel/__main__.py)."""

import sys

from panel.relaunch import main

# A macOS .app opened from Finder or the Dock gets no command: it means the demo, as the menu
# entry's `mfp-panel demo` does on Linux (packaging/macos; not built or tested by CI here).
if sys.platform == "darwin" and len(sys.argv) == 1 and ".app/Contents/" in sys.executable:
    sys.argv.append("demo")
raise SystemExit(main())
