"""`python -m panel` is the same as the `mfp-panel` command."""

from panel.cli import main

raise SystemExit(main())
