"""The QA simulator dock beside the panel (DESIGN.md, "QA tools"): what a QA engineer needs to
reproduce a field issue without touching the code. One module per card:

- `networks` (S2): each of the device's networks (`network_card`: one network), its state as
  the device sees it and whether it is in use; when the panel owns the simulated networks (the
  demo), their faults: down, blackhole, reset, latency, bandwidth, and "Restore all". The same
  networks answer the Toxiproxy-shaped control API, and the dock follows changes made there.
- `log`: a live log of connection events: the network in use, each network's state, every
  reachability check with its attempts, the simulator's changes, power and sensor events;
  stamped in device time (a 10x demo clock), a repeat of a recent line folded into it ("x12").
- `engine` (issue 14): the print engine: a jam at a chosen place, a cover opened and closed, a
  toner level, a tray emptied or filled, the pages per minute; its state and levels live.
- `sensors` (S4): the presence sensor (also F8 / Shift+F8 on the panel) and the card reader.
- `power`: the power state, the idle time, what holds sleep off, the clock's speed; with
  `sessions` (S5): the peers found, whose sessions this device keeps, and who keeps its own.
- `qa_dock`: the dock that composes them. F12 hides and shows it; the window narrows and widens
  with it.
- `parts`: what the cards share; `FitLabel`, a line that never clips (elided, the whole text as
  its tooltip): tests/gui/test_dock_fit.py measures every text of the dock at each panel size.
"""

from panel.ui.dock.log import LOG_LINES
from panel.ui.dock.network_card import NetworkCard, short_error
from panel.ui.dock.parts import DockedDevice, dock_stylesheet
from panel.ui.dock.qa_dock import DOCK_KEY, DOCK_WIDTH, QaDock
from panel.ui.dock.sensors import APPROACH_KEY, LEAVE_KEY

__all__ = [
    "APPROACH_KEY",
    "DOCK_KEY",
    "DOCK_WIDTH",
    "LEAVE_KEY",
    "LOG_LINES",
    "DockedDevice",
    "NetworkCard",
    "QaDock",
    "dock_stylesheet",
    "short_error",
]
