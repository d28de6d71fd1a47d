"""The fault catalogue: every reason the engine can raise, in one table.

Each row is (IPP keyword, location, vendor code, usual severity, message, steps, icon). The code
is what a service engineer reads on a maintenance call: J- jams (J-01 tray 1 feed, J-02 tray 2,
J-03 bypass, J-05 fuser, J-06 duplex unit, J-07 output), C- covers and doors, T- toner (T-01 low,
a warning that never stops; T-02 empty), P- paper (P-010x a tray is empty, P-011x a job waits
for paper from it). Messages and steps may name the tray's media as {media}.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from panel.device.engine.status import Reason, Severity
from panel.text import marker


@dataclass(frozen=True, slots=True)
class Fault:
    keyword: str
    location: str
    code: str
    severity: Severity
    message: str
    steps: tuple[str, ...]
    icon: str


_E, _W = Severity.ERROR, Severity.WARNING
ANY_MEDIA = marker("Core", "the right")  # {media} when the tray's media is not known
_OPEN_FRONT = marker("Core", "Open the front cover.")
_CLOSE_FRONT = marker("Core", "Close the front cover.")

CATALOGUE: tuple[Fault, ...] = (
    # -- paper jams: the sheet stops where it jammed; the page prints again after the clear.
    Fault(
        "media-jam",
        "tray-1",
        "J-0101",
        _E,
        marker("Core", "Paper jam at the tray 1 feed."),
        (
            marker("Core", "Pull out tray 1."),
            marker("Core", "Remove the jammed paper gently."),
            marker("Core", "Push tray 1 back in."),
        ),
        "jam-tray",
    ),
    Fault(
        "media-jam",
        "tray-2",
        "J-0201",
        _E,
        marker("Core", "Paper jam at the tray 2 feed."),
        (
            marker("Core", "Pull out tray 2."),
            marker("Core", "Remove the jammed paper gently."),
            marker("Core", "Push tray 2 back in."),
        ),
        "jam-tray",
    ),
    Fault(
        "media-jam",
        "bypass",
        "J-0301",
        _E,
        marker("Core", "Paper jam at the bypass tray."),
        (
            marker("Core", "Remove all paper from the bypass tray."),
            marker("Core", "Pull the jammed sheet out straight."),
            marker("Core", "Load the paper again."),
        ),
        "jam-tray",
    ),
    Fault(
        "media-jam",
        "fuser",
        "J-0501",
        _E,
        marker("Core", "Paper jam in the fuser."),
        (
            _OPEN_FRONT,
            marker("Core", "Wait until the fuser has cooled: it is hot."),
            marker("Core", "Lower the green fuser levers and pull the sheet out."),
            _CLOSE_FRONT,
        ),
        "jam-fuser",
    ),
    Fault(
        "media-jam",
        "duplex-unit",
        "J-0601",
        _E,
        marker("Core", "Paper jam in the duplex unit."),
        (
            marker("Core", "Open the side door."),
            marker("Core", "Remove the jammed paper from the duplex path."),
            marker("Core", "Close the side door."),
        ),
        "jam-duplex",
    ),
    Fault(
        "media-jam",
        "output",
        "J-0701",
        _E,
        marker("Core", "Paper jam at the output tray."),
        (
            marker("Core", "Pull the jammed sheet out of the output slot."),
            marker("Core", "Open and close the top cover."),
        ),
        "jam-output",
    ),
    # -- covers and doors: the engine stops until they are closed.
    Fault(
        "cover-open",
        "front-cover",
        "C-0101",
        _E,
        marker("Core", "The front cover is open."),
        (_CLOSE_FRONT,),
        "cover-open",
    ),
    Fault(
        "door-open",
        "side-door",
        "C-0102",
        _E,
        marker("Core", "The side door is open."),
        (marker("Core", "Close the side door."),),
        "cover-open",
    ),
    Fault(
        "cover-open",
        "top-cover",
        "C-0103",
        _E,
        marker("Core", "The top cover is open."),
        (marker("Core", "Close the top cover."),),
        "cover-open",
    ),
    # -- toner: low is a warning; black empty stops every page, a colour one colour pages.
    Fault(
        "toner-low",
        "toner-black",
        "T-0101",
        _W,
        marker("Core", "Black toner is low."),
        (marker("Core", "Have a new black cartridge ready."),),
        "toner",
    ),
    Fault(
        "toner-low",
        "toner-cyan",
        "T-0102",
        _W,
        marker("Core", "Cyan toner is low."),
        (marker("Core", "Have a new cyan cartridge ready."),),
        "toner",
    ),
    Fault(
        "toner-low",
        "toner-magenta",
        "T-0103",
        _W,
        marker("Core", "Magenta toner is low."),
        (marker("Core", "Have a new magenta cartridge ready."),),
        "toner",
    ),
    Fault(
        "toner-low",
        "toner-yellow",
        "T-0104",
        _W,
        marker("Core", "Yellow toner is low."),
        (marker("Core", "Have a new yellow cartridge ready."),),
        "toner",
    ),
    Fault(
        "toner-empty",
        "toner-black",
        "T-0201",
        _E,
        marker("Core", "Black toner is empty."),
        (_OPEN_FRONT, marker("Core", "Replace the black toner cartridge."), _CLOSE_FRONT),
        "toner",
    ),
    Fault(
        "toner-empty",
        "toner-cyan",
        "T-0202",
        _W,
        marker("Core", "Cyan toner is empty."),
        (_OPEN_FRONT, marker("Core", "Replace the cyan toner cartridge."), _CLOSE_FRONT),
        "toner",
    ),
    Fault(
        "toner-empty",
        "toner-magenta",
        "T-0203",
        _W,
        marker("Core", "Magenta toner is empty."),
        (_OPEN_FRONT, marker("Core", "Replace the magenta toner cartridge."), _CLOSE_FRONT),
        "toner",
    ),
    Fault(
        "toner-empty",
        "toner-yellow",
        "T-0204",
        _W,
        marker("Core", "Yellow toner is empty."),
        (_OPEN_FRONT, marker("Core", "Replace the yellow toner cartridge."), _CLOSE_FRONT),
        "toner",
    ),
    # -- paper: an empty tray is a warning; a job waiting for paper from it is an error.
    Fault(
        "media-empty",
        "tray-1",
        "P-0101",
        _W,
        marker("Core", "Tray 1 is empty."),
        (marker("Core", "Load {media} paper in tray 1."),),
        "paper",
    ),
    Fault(
        "media-empty",
        "tray-2",
        "P-0102",
        _W,
        marker("Core", "Tray 2 is empty."),
        (marker("Core", "Load {media} paper in tray 2."),),
        "paper",
    ),
    Fault(
        "media-empty",
        "bypass",
        "P-0103",
        _W,
        marker("Core", "The bypass tray is empty."),
        (marker("Core", "Load {media} paper in the bypass tray."),),
        "paper",
    ),
    Fault(
        "media-needed",
        "tray-1",
        "P-0111",
        _E,
        marker("Core", "Tray 1 is out of {media} paper."),
        (
            marker("Core", "Pull out tray 1."),
            marker("Core", "Load {media} paper."),
            marker("Core", "Push tray 1 back in."),
        ),
        "paper",
    ),
    Fault(
        "media-needed",
        "tray-2",
        "P-0112",
        _E,
        marker("Core", "Tray 2 is out of {media} paper."),
        (
            marker("Core", "Pull out tray 2."),
            marker("Core", "Load {media} paper."),
            marker("Core", "Push tray 2 back in."),
        ),
        "paper",
    ),
    Fault(
        "media-needed",
        "bypass",
        "P-0113",
        _E,
        marker("Core", "The bypass tray is out of {media} paper."),
        (marker("Core", "Load {media} paper in the bypass tray."),),
        "paper",
    ),
)

_BY_KEY = {(f.keyword, f.location): f for f in CATALOGUE}

JAM_LOCATIONS = tuple(f.location for f in CATALOGUE if f.keyword == "media-jam")
COVERS = tuple(f.location for f in CATALOGUE if f.keyword in ("cover-open", "door-open"))


def find(keyword: str, location: str) -> Fault:
    """The catalogue row; KeyError names what is known for that keyword."""
    try:
        return _BY_KEY[(keyword, location)]
    except KeyError:
        known = ", ".join(f.location for f in CATALOGUE if f.keyword == keyword)
        raise KeyError(f"no {keyword} at {location!r} (known: {known})") from None


def reason(
    keyword: str, location: str, *, severity: Severity | None = None, media: str = ""
) -> Reason:
    """The Reason for a catalogue row, its text filled in with `media` (a label: "A4")."""
    fault = find(keyword, location)
    made = Reason(
        keyword=fault.keyword,
        severity=fault.severity,
        code=fault.code,
        location=fault.location,
        message=fault.message.format(media=media or ANY_MEDIA),
        steps=tuple(step.format(media=media or ANY_MEDIA) for step in fault.steps),
        icon=fault.icon,
        media=media,
    )
    return made if severity is None else replace(made, severity=severity)


def cover_keyword(cover: str) -> str:
    """ "door-open" for doors, "cover-open" for covers (ValueError for an unknown one)."""
    for fault in CATALOGUE:
        if fault.location == cover and fault.keyword in ("cover-open", "door-open"):
            return fault.keyword
    raise ValueError(f"unknown cover {cover!r} (known: {', '.join(COVERS)})")
