"""Fleet mode: many headless device cores against one server, to load-test it.

`mfp-panel fleet` (panel/modes/fleet_mode.py) and `mfp-panel bench fleet` (panel/bench/fleet.py)
seed one user with a login card per device, start worker processes (`worker`), each running
hundreds to thousands of `Device`s on one event loop, and read what they report on stdout
(`controller`): connections, every job that arrived and when, reconnects, memory.
"""
