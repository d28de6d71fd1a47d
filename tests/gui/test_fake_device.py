"""The view tests' fake has a spec: `PanelDevice`, the part of the core the panel uses.

mypy checks the assignment below (the fake must be a structural `PanelDevice`); the test
checks the same members at run time, so a drifted fake fails even where mypy is not run.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support.fake_device import FakeDevice

import panel.ui
from panel.device import Device
from panel.device.power import PowerManager
from panel.device.presence import CardReader, PresenceSensor
from panel.ui.bridge import (
    CacheView,
    CardReaderControl,
    CopyingDevice,
    EngineDevice,
    FilesDevice,
    JobsView,
    PanelDevice,
    PowerControl,
    PoweredDevice,
    PresenceControl,
    powered,
)

_spec: PanelDevice = FakeDevice()  # the static check: mypy refuses a fake that drifted
_powered_spec: PoweredDevice = FakeDevice()


def _real_core_is_powered(device: Device) -> PoweredDevice:
    return device  # mypy refuses this if the real core no longer has what the panel uses


def _real_core_copies(device: Device) -> CopyingDevice:
    return device  # mypy refuses this if the real copier no longer has what the panel uses


def _real_core_has_boxes(device: Device) -> FilesDevice:
    return device  # mypy refuses this if the document boxes no longer have what the panel uses


def members(protocol: type) -> list[str]:
    """What a Protocol declares: its properties and methods (not typing's own machinery)."""
    return sorted(
        name
        for name, value in vars(protocol).items()
        if not name.startswith("_") and (isinstance(value, property) or callable(value))
    )


def used_by_the_views() -> set[str]:
    """Every `device.X` / `self.device.X` the panel's views read or call, from their source."""
    attribute = re.compile(r"(?<![\w.])(?:self\.)?device\.([a-z_]+)")
    sources = Path(panel.ui.__file__).parent.rglob("*.py")
    return {name for path in sources for name in attribute.findall(path.read_text("utf-8"))}


def test_panel_device_declares_everything_the_views_use() -> None:
    used = used_by_the_views()
    assert {"cache", "outbox_stats", "scan_to", "send_fax", "login"} <= used  # the scan works
    assert {"power", "presence", "cards", "networks"} <= used  # the power side and the dock
    declared = set(members(PanelDevice)) | set(members(PoweredDevice))
    declared |= set(members(EngineDevice))  # the print engine (None while booting)
    declared |= set(members(CopyingDevice))  # the copier (None while booting)
    declared |= set(members(FilesDevice))  # the document boxes (None while booting)
    assert used - declared == set()


def test_the_fake_is_powered_and_the_booting_device_is_not() -> None:
    from panel.device.booting import BootingDevice

    assert powered(FakeDevice()) is not None
    assert powered(BootingDevice("MFP")) is None


def _device(fake: FakeDevice) -> object:
    return fake


def _jobs(fake: FakeDevice) -> object:
    return fake.jobs


def _cache(fake: FakeDevice) -> object:
    return fake.cache


def _power(fake: FakeDevice) -> object:
    return fake.power


def _presence(fake: FakeDevice) -> object:
    return fake.presence


def _cards(fake: FakeDevice) -> object:
    return fake.cards


@pytest.mark.parametrize(
    ("protocol", "part", "real"),
    [
        (PanelDevice, _device, Device),
        (JobsView, _jobs, None),
        (CacheView, _cache, None),
        (PoweredDevice, _device, Device),
        (PowerControl, _power, PowerManager),
        (PresenceControl, _presence, PresenceSensor),
        (CardReaderControl, _cards, CardReader),
    ],
    ids=[
        "PanelDevice",
        "JobsView",
        "CacheView",
        "PoweredDevice",
        "PowerControl",
        "PresenceControl",
        "CardReaderControl",
    ],
)
def test_the_fake_has_every_member_in_the_same_shape(
    protocol: type, part: Callable[[FakeDevice], object], real: type | None
) -> None:
    sample = part(FakeDevice())
    for name in members(protocol):
        declared = vars(protocol)[name]
        assert hasattr(sample, name), f"{type(sample).__name__} has no {name}"
        if isinstance(declared, property):
            continue  # a plain attribute satisfies a read-only property
        ours = getattr(sample, name)
        assert callable(ours), name
        assert inspect.iscoroutinefunction(ours) == inspect.iscoroutinefunction(declared), name
        wanted = list(inspect.signature(declared).parameters)[1:]  # without self
        assert list(inspect.signature(ours).parameters) == wanted, name
        if real is not None:  # the real core keeps the same sync/async shape
            assert inspect.iscoroutinefunction(getattr(real, name)) == (
                inspect.iscoroutinefunction(declared)
            ), f"{real.__name__}.{name}"
