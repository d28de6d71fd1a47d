"""`python -m panel` is the same as the `mfp-panel` command."""

from panel.relaunch import main

raise SystemExit(main())
