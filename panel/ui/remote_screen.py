"""The touchscreen as the remote operator sees and touches it (S3).

Frames: whenever the touchscreen's scene changes and the maintenance client would send an
update at once (`wants_frame`: viewing is allowed and the operator keeps up), the touchscreen is
rendered at its logical resolution and compared, in 64x64 tiles, with what was sent last. Only
changed tiles go out, merged into rectangles (as Guacamole does): PNG for small changes to
regions that change rarely, JPEG for busy regions (a tile that changed 3 times within half a
second) and for large changes (a quarter of the screen or more: a new screen). A region sent
as JPEG is sent again as PNG once the screen has been still for a moment, so what the
operator reads settles sharp. The frame rate follows the operator's acknowledgements; when
updates keep waiting for them (a slow link), JPEG quality steps down and busy regions go at
half resolution (the console scales them up), and back up when the link keeps up again.

Input: an operator's tap becomes a real mouse press and release on the scaled view at that
logical point, so it reaches whatever widget a finger there would; a key press calls the same
handler as the hardware key.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import QApplication, QWidget

from panel.device.maintenance import OperatorInput, ScreenRect
from panel.ui.maintenance_bridge import MaintenanceService
from panel.ui.widgets import ScreenView

TILE = 64  # side of a compared tile, logical pixels
HOT_CHANGES = 3  # a tile that changed this often...
HOT_WINDOW_S = 0.5  # ...within this long is busy (a blinking caret is not): JPEG
LARGE_FRACTION = 0.25  # a change to this much of the screen is large: JPEG
SETTLE_S = 0.4  # a region sent as JPEG and still this long is sent again as PNG
MAX_FPS = 60.0
POLL_MS = 4  # how often to look again while updates wait for the operator's acknowledgements
PNG_QUALITY = 80  # Qt maps it to zlib level 1: fast, and UI screens still compress ~40:1


@dataclass(frozen=True, slots=True)
class Quality:
    """How busy regions are encoded at one step of the ladder."""

    jpeg: int  # JPEG quality 0-100
    scale: float  # resolution of the JPEG relative to the region (the console scales it up)


LADDER: tuple[Quality, ...] = (
    Quality(80, 1.0),
    Quality(60, 1.0),
    Quality(50, 0.5),
    Quality(35, 0.5),
)
SLOW_WAIT_S = 0.12  # updates wait this long for acknowledgements on average: step down
FAST_WAIT_S = 0.03  # ...or this little: step back up
STEP_DOWN_AFTER_S = 0.5
STEP_UP_AFTER_S = 1.5

Tile = tuple[int, int]  # (column, row)
Box = tuple[int, int, int, int]  # x, y, w, h in logical pixels


def merge_tiles(tiles: Iterable[Tile], width: int, height: int, tile: int = TILE) -> list[Box]:
    """Rectangles covering exactly `tiles`: runs along each tile row, then runs of rows with the
    same span stacked into one rectangle; clipped to the `width` x `height` screen."""
    by_row: dict[int, list[int]] = {}
    for col, row in tiles:
        by_row.setdefault(row, []).append(col)
    spans: dict[int, list[tuple[int, int]]] = {}
    for row, cols in by_row.items():
        cols.sort()
        runs: list[tuple[int, int]] = []
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.append((start, prev))
                start = col
            prev = col
        runs.append((start, prev))
        spans[row] = runs
    open_boxes: dict[tuple[int, int], list[int]] = {}  # span -> [first row, last row]
    done: list[tuple[int, int, int, int]] = []
    for row in sorted(spans):
        current = set(spans[row])
        for span in list(open_boxes):
            first, last = open_boxes[span]
            if span not in current or last != row - 1:
                done.append((span[0], span[1], first, last))
                del open_boxes[span]
        for span in spans[row]:
            if span in open_boxes:
                open_boxes[span][1] = row
            else:
                open_boxes[span] = [row, row]
    done.extend((s[0], s[1], first, last) for s, (first, last) in open_boxes.items())
    boxes = []
    for c0, c1, r0, r1 in sorted(done, key=lambda b: (b[2], b[0])):
        x, y = c0 * tile, r0 * tile
        boxes.append((x, y, min(width, (c1 + 1) * tile) - x, min(height, (r1 + 1) * tile) - y))
    return boxes


def dense(boxes: list[Box], slack: float = 1.5) -> list[Box]:
    """`boxes` as one rectangle around them all when that covers little more (one JPEG
    compresses better than many and has one header), else as they are."""
    if len(boxes) < 2:
        return boxes
    x0 = min(x for x, _, _, _ in boxes)
    y0 = min(y for _, y, _, _ in boxes)
    x1 = max(x + w for x, _, w, _ in boxes)
    y1 = max(y + h for _, y, _, h in boxes)
    covered = sum(w * h for _, _, w, h in boxes)
    return [(x0, y0, x1 - x0, y1 - y0)] if (x1 - x0) * (y1 - y0) <= slack * covered else boxes


def encode(image: QImage, fmt: str, quality: int) -> bytes:
    """`image` as PNG or JPEG bytes (Qt's encoders)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(fmt.encode()))
    writer.setQuality(quality)
    if not writer.write(image):
        raise RuntimeError(f"Qt could not encode a {image.width()}x{image.height()} {fmt}")
    buffer.close()
    return bytes(data.data())


class TileMirror:
    """What the operator has been sent, tile by tile: the last image, how often each tile
    changed lately, and which tiles they have only as JPEG."""

    def __init__(self, width: int, height: int, tile: int = TILE) -> None:
        self.width, self.height, self.tile = width, height, tile
        self.cols, self.rows = math.ceil(width / tile), math.ceil(height / tile)
        self.image: QImage | None = None  # None: the operator has nothing (yet, or any more)
        self._bytes = b""
        self._changes: dict[Tile, deque[float]] = {}
        self.lossy: dict[Tile, float] = {}  # tile -> when it was sent as JPEG

    def forget(self) -> None:
        """The operator needs everything again (a refresh, viewing allowed again)."""
        self.image, self._bytes = None, b""
        self.lossy.clear()

    def all_tiles(self) -> set[Tile]:
        return {(c, r) for r in range(self.rows) for c in range(self.cols)}

    def tile_rect(self, tile: Tile) -> QRect:
        col, row = tile
        x, y = col * self.tile, row * self.tile
        return QRect(x, y, min(self.tile, self.width - x), min(self.tile, self.height - y))

    def diff(self, image: QImage, now: float) -> set[Tile]:
        """The tiles of `image` that differ from the last one; `image` becomes the last one."""
        data = bytes(image.constBits())
        old, old_bytes = self.image, self._bytes
        self.image, self._bytes = image, data
        if old is None:
            return self.all_tiles()  # everything is new to the operator, not busy
        changed = set()
        line = image.bytesPerLine()
        for row in range(self.rows):
            start = row * self.tile * line
            end = min(self.height, (row + 1) * self.tile) * line
            if data[start:end] == old_bytes[start:end]:
                continue  # the whole band of tiles is unchanged: one comparison
            for col in range(self.cols):
                rect = self.tile_rect((col, row))
                if image.copy(rect) != old.copy(rect):
                    changed.add((col, row))
        for tile in changed:
            history = self._changes.get(tile)
            if history is None:
                history = self._changes[tile] = deque(maxlen=HOT_CHANGES)
            history.append(now)
        return changed

    def hot(self, tile: Tile, now: float) -> bool:
        history = self._changes.get(tile)
        return (
            history is not None and len(history) == HOT_CHANGES and now - history[0] <= HOT_WINDOW_S
        )

    def settled(self, now: float) -> set[Tile]:
        """Tiles the operator has only as JPEG that have been still long enough to refine."""
        return {tile for tile, at in self.lossy.items() if now - at >= SETTLE_S}

    def next_settle(self) -> float | None:
        return min(self.lossy.values()) + SETTLE_S if self.lossy else None


class QualityControl:
    """Steps down the ladder while updates wait for the operator's acknowledgements, and back
    up once they no longer wait (a moving average of the wait, with hysteresis)."""

    def __init__(self) -> None:
        self.level = 0
        self.average_wait_s = 0.0
        self._changed_at = -math.inf

    @property
    def quality(self) -> Quality:
        return LADDER[self.level]

    def observe(self, waited_s: float, now: float) -> None:
        self.average_wait_s = 0.7 * self.average_wait_s + 0.3 * waited_s
        since = now - self._changed_at
        if (
            self.average_wait_s > SLOW_WAIT_S
            and since >= STEP_DOWN_AFTER_S
            and self.level < len(LADDER) - 1
        ):
            self.level += 1
            self._changed_at = now
        elif self.average_wait_s < FAST_WAIT_S and since >= STEP_UP_AFTER_S and self.level > 0:
            self.level -= 1
            self._changed_at = now


@dataclass(slots=True)
class RemoteStats:
    """What was sent in this session (for the bench and the tests)."""

    frames: int = 0
    bytes: int = 0
    png_rects: int = 0
    jpeg_rects: int = 0
    refined_rects: int = 0


class TapMark(QWidget):
    """A ring where the operator tapped, so the panel's user sees the remote finger."""

    SIZE = 56
    SHOW_MS = 450

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("tapMark")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedSize(self.SIZE, self.SIZE)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_at(self, point: QPoint) -> None:
        self.move(point.x() - self.SIZE // 2, point.y() - self.SIZE // 2)
        self.show()
        self.raise_()
        self._timer.start(self.SHOW_MS)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        painter.setPen(QPen(QColor(230, 120, 0, 230), 4))
        painter.setBrush(QColor(230, 120, 0, 60))
        painter.drawEllipse(ring)
        painter.end()


class RemoteScreen(QObject):
    """Streams one touchscreen to a maintenance session and injects the operator's input."""

    def __init__(
        self,
        view: ScreenView,
        service: MaintenanceService,
        press_key: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = view
        content = view.proxy.widget()
        assert content is not None
        self._content = content
        self._service = service
        self._press_key = press_key
        self._clock = clock
        size = view.logical_size
        self.width, self.height = size.width(), size.height()
        self.mirror = TileMirror(self.width, self.height)
        self.control = QualityControl()
        self.stats = RemoteStats()
        self.tap_mark = TapMark(content)
        self.active = False
        self._dirty = False
        self._whole_asked = False  # the relay asked for the whole screen (see `start`)
        self._waiting_since: float | None = None
        self._last_sent = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._pump)

    # -- the session ------------------------------------------------------------------------------
    def start(self) -> None:
        """Viewing is allowed: from now on send what changes. The whole screen goes when the
        relay asks for it (`refresh`), which it does whenever the operator starts viewing: a
        whole screen sent before that could reach nobody, and one sent twice costs seconds
        on a slow link."""
        if self.active:
            return
        self.active = True
        self.stats = RemoteStats()
        self.control = QualityControl()
        self.mirror.forget()
        self._whole_asked = False
        self._view.scene().changed.connect(self._on_scene_changed)

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        self._view.scene().changed.disconnect(self._on_scene_changed)
        self._timer.stop()
        self.mirror.forget()
        self._dirty = False
        self._waiting_since = None

    def refresh(self) -> None:
        """Send the whole screen next (the operator's view opened, or updates were dropped)."""
        if not self.active:
            return
        self.mirror.forget()
        self._whole_asked = True
        self._mark_dirty()

    # -- input ------------------------------------------------------------------------------------
    def inject(self, event: OperatorInput) -> None:
        """Play an operator's tap or key press on the panel."""
        if event.kind == "key":
            self._press_key(event.key)
        elif event.kind == "tap" and 0 <= event.x < self.width and 0 <= event.y < self.height:
            self.tap(event.x, event.y)

    def tap(self, x: int, y: int) -> None:
        """A press and release at logical (x, y), through the scaled view as a finger's."""
        view = self._view
        viewport = view.viewport()
        at = view.mapFromScene(QPointF(x + 0.5, y + 0.5))
        local, screen = QPointF(at), QPointF(viewport.mapToGlobal(at))
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        no_keys = Qt.KeyboardModifier.NoModifier
        self.tap_mark.show_at(QPoint(x, y))
        press = QMouseEvent(QEvent.Type.MouseButtonPress, local, screen, left, left, no_keys)
        QApplication.sendEvent(viewport, press)
        release = QMouseEvent(QEvent.Type.MouseButtonRelease, local, screen, left, none, no_keys)
        QApplication.sendEvent(viewport, release)

    # -- frames -----------------------------------------------------------------------------------
    def _on_scene_changed(self, _rects: object) -> None:
        if self._whole_asked or self.mirror.image is not None:
            self._mark_dirty()  # else the relay's refresh brings the whole screen

    def _mark_dirty(self) -> None:
        self._dirty = True
        self._schedule(0)

    def _schedule(self, ms: float) -> None:
        ms = max(0, math.ceil(ms))
        if self._timer.isActive() and self._timer.remainingTime() <= ms:
            return
        self._timer.start(ms)

    def _pump(self) -> None:
        if not self.active:
            return
        now = self._clock()
        settle_at = self.mirror.next_settle()
        refine_due = settle_at is not None and settle_at <= now
        if not self._dirty and not refine_due:
            if settle_at is not None:
                self._schedule((settle_at - now) * 1000)
            return
        if not self._service.wants_frame:
            if self._waiting_since is None:
                self._waiting_since = now
            self._schedule(POLL_MS)
            return
        gap = 1.0 / MAX_FPS - (now - self._last_sent)
        if gap > 0:
            self._schedule(gap * 1000)
            return
        self.control.observe(0.0 if self._waiting_since is None else now - self._waiting_since, now)
        self._waiting_since = None
        self._dirty = False
        self._send(now)
        next_settle = self.mirror.next_settle()
        if next_settle is not None:
            self._schedule((next_settle - self._clock()) * 1000)

    def render(self) -> QImage:
        """The touchscreen now, at its logical resolution (whatever the window's scale)."""
        image = QImage(self.width, self.height, QImage.Format.Format_RGB32)
        painter = QPainter(image)
        self._content.render(painter, QPoint(), QRegion(0, 0, self.width, self.height))
        painter.end()
        return image

    def _send(self, now: float) -> None:
        mirror = self.mirror
        image = self.render()
        changed = mirror.diff(image, now)
        self._whole_asked = False
        # JPEG regions are sent again as PNG once the screen is still: while it moves, the
        # bytes go to what moves.
        refine = set() if changed else mirror.settled(now)
        busy = {t for t in changed if mirror.hot(t, now)}
        calm = changed - busy
        calm_boxes = merge_tiles(calm, self.width, self.height)
        large = sum(w * h for _, _, w, h in calm_boxes) >= LARGE_FRACTION * self.width * self.height
        quality = self.control.quality
        lossy = merge_tiles(busy, self.width, self.height) + (calm_boxes if large else [])
        rects = [self._encode(image, box, "jpeg", quality) for box in dense(lossy)]
        if not large:
            rects += [self._encode(image, box, "png", quality) for box in calm_boxes]
        for box in merge_tiles(refine, self.width, self.height):
            rects.append(self._encode(image, box, "png", quality))
            self.stats.refined_rects += 1
        if not rects:
            return
        for rect in rects:
            for tile in self._tiles_of(rect):
                if rect.fmt == "jpeg":
                    mirror.lossy[tile] = now
                else:
                    mirror.lossy.pop(tile, None)
        if self._service.send_frame(rects):
            self._last_sent = now
            stats = self.stats
            stats.frames += 1
            stats.bytes += sum(len(r.data) for r in rects)
            stats.png_rects += sum(1 for r in rects if r.fmt == "png")
            stats.jpeg_rects += sum(1 for r in rects if r.fmt == "jpeg")

    def _encode(self, image: QImage, box: Box, fmt: str, quality: Quality) -> ScreenRect:
        x, y, w, h = box
        part = image.copy(x, y, w, h)
        if fmt == "png":
            return ScreenRect("png", x, y, w, h, encode(part, "png", PNG_QUALITY))
        if quality.scale != 1.0:
            part = part.scaled(
                max(1, round(w * quality.scale)),
                max(1, round(h * quality.scale)),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return ScreenRect("jpeg", x, y, w, h, encode(part, "jpeg", quality.jpeg))

    def _tiles_of(self, rect: ScreenRect) -> Iterable[Tile]:
        t = self.mirror.tile
        for row in range(rect.y // t, (rect.y + rect.h - 1) // t + 1):
            for col in range(rect.x // t, (rect.x + rect.w - 1) // t + 1):
                yield col, row
