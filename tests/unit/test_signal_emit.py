"""PySide6 6.12.0 on Python 3.11 leaks a reference to True on every Signal.emit() and the process
aborts after a few hundred emits (PITFALLS.md). The panel emits a signal per device event, so
guard the pinned Qt with 100,000 emits."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

import sys

from PySide6.QtCore import QObject, Signal

EMITS = 100_000


class Sender(QObject):
    flag = Signal(bool)
    payload = Signal(object)


class Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def on_flag(self, value: bool) -> None:
        self.count += 1

    def on_payload(self, value: object) -> None:
        self.count += 1


def test_signal_survives_100k_emits() -> None:
    sender, receiver = Sender(), Receiver()
    sender.flag.connect(receiver.on_flag)
    sender.payload.connect(receiver.on_payload)
    true_refs = sys.getrefcount(True)
    for _ in range(EMITS):
        sender.flag.emit(True)
    assert receiver.count == EMITS
    for _ in range(EMITS):
        sender.payload.emit(receiver)
    assert receiver.count == 2 * EMITS
    # No reference to True leaks per emit (on 3.12+ True is immortal and this holds trivially).
    assert sys.getrefcount(True) - true_refs < EMITS // 10
