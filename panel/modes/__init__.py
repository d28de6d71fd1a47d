"""The ways the program starts (demo, run, server, bench): each picks its own event loop."""
