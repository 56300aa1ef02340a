"""The timeline: a slider over the kept frames of a run's history, and the way back to live.

Owns the slider, the "Live" / "Step N" indicator and the "Back to live" button and action.
Passive: the window gives it the frames (:meth:`TimelinePanel.set_frames`, plain data
from ``ganlab.kernel.history``) and hears what the user asks for (``frame_requested``,
``live_requested``); the window replays the frame and keeps the live snapshots meanwhile.
GUI thread; no torch.

The slider's rightmost position is "live"; each position left of it is one kept frame,
oldest at the left. While the user holds the slider, new frame lists wait until it is
released, so a rescan never moves the handle under the mouse.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSlider, QWidget

from ganlab.widgets import style

LIVE_COLOR = "#1a9850"  # the "Live" badge: the colour of real data, calm
SCRUBBED_COLOR = "#e66101"  # the "Step N" badge: D's orange, hard to miss
# Keys the slider keeps for itself while it has the focus: the window's own shortcuts
# (Right is "Step") would otherwise take them first.
_SLIDER_KEYS = frozenset(
    {
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
    }
)


@dataclass(frozen=True)
class TimelineFrame:
    """One kept frame, as the timeline lists it.

    Attributes
    ----------
    key
        The frame's identity, orderable in recording order (the window uses
        ``(source, seq)``): a frame keeps its key when others are thinned away.
    step
        The training step the frame shows.
    segment
        The segment it belongs to (a reset or a rebuild starts a new one).
    run
        "" for the run the window trains or watches now; else the name of an earlier
        run this one continues (``ganlab --run``), shown beside the step.
    """

    key: Hashable
    step: int
    segment: int
    run: str = ""


class _FrameSlider(QSlider):
    """A horizontal slider whose arrow, Home and End keys beat the window's shortcuts."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if plain and event.key() in _SLIDER_KEYS:
                event.accept()
                return True
        return super().event(event)


class TimelinePanel(QWidget):
    """A compact row: the indicator, the frame slider and "Back to live".

    Signals
    -------
    frame_requested(object)
        The user chose a kept frame: its ``TimelineFrame.key``.
    live_requested()
        The user asked to go back to live (the button, the action, the slider's right end).
    """

    frame_requested = Signal(object)
    live_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._frames: list[TimelineFrame] = []
        self._keys: list[Hashable] = []  # the frames' keys, in order (for bisect)
        self._pending: list[TimelineFrame] | None = None  # arrived while the slider was held
        self._selected: TimelineFrame | None = None  # None: live
        self._live_segment = 0
        self._updating = False  # the slider moves because of a setter, not the user

        self._indicator = QLabel()
        self._indicator.setObjectName("timeline-indicator")
        self._indicator.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._slider = _FrameSlider(Qt.Orientation.Horizontal)
        self._slider.setObjectName("timeline-slider")
        self._slider.setMinimumWidth(120)  # never squeezed to a dot by a long indicator
        self._slider.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._slider.setSingleStep(1)
        self._slider.setPageStep(10)
        self._slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._range_label = QLabel()
        self._range_label.setObjectName("timeline-range")
        self.live_action = QAction(self)
        self.live_action.setShortcut(QKeySequence(Qt.Key.Key_End))
        self.live_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self._live_button = QPushButton()
        self._live_button.setObjectName("timeline-live")
        self._live_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 1, 6, 1)
        row.setSpacing(8)
        row.addWidget(self._indicator)
        row.addWidget(self._slider, 1)
        row.addWidget(self._range_label)
        row.addWidget(self._live_button)

        self._slider.valueChanged.connect(self._on_slider_value_changed)
        self._slider.sliderReleased.connect(self._on_slider_released)
        self._live_button.clicked.connect(self._on_live_button_clicked)
        self.live_action.triggered.connect(self._on_live_action_triggered)
        self.retranslate()
        self.restyle()
        self._apply_frames([])

    # -- public API --------------------------------------------------------------------

    def set_frames(self, frames: Sequence[TimelineFrame]) -> None:
        """The kept frames, oldest first (keys in increasing order).

        The shown frame stays selected by its key; if it was thinned away, the handle
        goes to where it was (the frame keeps showing until the user moves). While the
        user holds the slider the list waits for the release.
        """
        frames = list(frames)
        if self._slider.isSliderDown():
            self._pending = frames
            return
        self._apply_frames(frames)

    def set_live_segment(self, segment: int) -> None:
        """The segment the run is in now: frames of another one name theirs."""
        self._live_segment = segment
        self._update_indicator()

    def show_live(self) -> None:
        """Show the live state without announcing it (the window went live itself)."""
        self._selected = None
        self._move_slider(len(self._frames))
        self._update_indicator()

    def select(self, key: Hashable) -> bool:
        """Choose the frame with ``key`` as the user would, emitting ``frame_requested``;
        False if no kept frame has that key."""
        index = self._index_of(key)
        if index is None:
            return False
        if self._slider.value() == index:  # the handle stands there already (thinning)
            self._on_slider_value_changed(index)
        else:
            self._slider.setValue(index)
        return True

    def is_live(self) -> bool:
        return self._selected is None

    def selected(self) -> TimelineFrame | None:
        """The frame chosen by the user, or None when live."""
        return self._selected

    def frames(self) -> list[TimelineFrame]:
        return list(self._frames)

    def indicator_text(self) -> str:
        return self._indicator.text()

    def slider(self) -> QSlider:
        """The slider (position ``len(frames())`` is live), for keyboard focus and tests."""
        return self._slider

    def retranslate(self) -> None:
        """(Re)write every text in the language in use."""
        self.live_action.setText(self.tr("Back to live"))
        tip = self.tr("Show the newest views again and follow training (End)")
        self.live_action.setToolTip(tip)
        self.live_action.setStatusTip(tip)
        self._live_button.setText(self.tr("Back to live"))
        self._live_button.setToolTip(tip)
        self._slider.setAccessibleName(self.tr("Timeline"))
        self._slider.setToolTip(
            self.tr(
                "Drag back to see every view as it was at an earlier step; training goes "
                "on meanwhile. Left and Right move one kept frame; End returns to live."
            )
        )
        self._update_indicator()

    def restyle(self) -> None:
        """Re-apply fonts, e.g. after the presentation factor changed."""
        for widget in (self._indicator, self._range_label, self._live_button):
            widget.setFont(style.font(0.95))
        self._indicator.setFont(style.font(0.95, bold=True))
        self._update_indicator()

    # -- internals ---------------------------------------------------------------------

    def _apply_frames(self, frames: list[TimelineFrame]) -> None:
        self._frames = frames
        self._keys = [f.key for f in frames]
        n = len(frames)
        self._updating = True
        try:
            self._slider.setRange(0, n)
        finally:
            self._updating = False
        self._slider.setEnabled(n > 0)
        if self._selected is None:
            self._move_slider(n)
        else:
            index = self._index_of(self._selected.key)
            if index is None:  # thinned away: where it would stand, the frame still shown
                index = min(bisect.bisect_left(self._keys, self._selected.key), max(n - 1, 0))
            self._move_slider(index)
        # Short, so that the slider keeps the row's width at 1280 pixels: the steps the
        # kept frames span; how many there are is in the tooltip.
        if n:
            first, last = frames[0].step, frames[-1].step
            self._range_label.setText(
                self.tr("steps {first}–{last}").format(first=first, last=last)
                if last != first
                else self.tr("step {step}").format(step=first)
            )
            self._range_label.setToolTip(
                self.tr("{n} frames kept of this run, denser near now").format(n=n)
            )
        else:
            self._range_label.setText(self.tr("no frames kept yet"))
            self._range_label.setToolTip(
                self.tr("The run keeps a frame of its views about once a second while it trains.")
            )
        self._update_indicator()

    def _index_of(self, key: Hashable) -> int | None:
        i = bisect.bisect_left(self._keys, key)
        return i if i < len(self._keys) and self._keys[i] == key else None

    def _move_slider(self, value: int) -> None:
        self._updating = True
        try:
            self._slider.setValue(value)
        finally:
            self._updating = False

    def _update_indicator(self) -> None:
        frame = self._selected
        if frame is None:
            text, color = self.tr("Live"), LIVE_COLOR
            tip = self.tr("The views follow training as it happens.")
        else:
            if frame.run:  # the folder's name is long: in the tooltip, not in the row
                text = self.tr("Step {step} · earlier run").format(step=frame.step)
            elif frame.segment != self._live_segment:
                text = self.tr("Step {step} · segment {segment}").format(
                    step=frame.step, segment=frame.segment
                )
            else:
                text = self.tr("Step {step}").format(step=frame.step)
            color = SCRUBBED_COLOR
            tip = self.tr(
                "The views show step {step}, not the newest: training goes on behind. "
                "Back to live (End) shows the newest again."
            ).format(step=frame.step)
            if frame.run:
                tip += " " + self.tr("(A frame of {run}, the run this one continues.)").format(
                    run=frame.run
                )
        self._indicator.setText(text)
        self._indicator.setToolTip(tip)
        self._indicator.setMinimumWidth(self._indicator_width())
        pad = round(2 * style.presentation_factor())
        self._indicator.setStyleSheet(
            f"background: {color}; color: white; border-radius: 3px; padding: {pad}px 8px;"
        )
        self._live_button.setEnabled(frame is not None)
        self.live_action.setEnabled(frame is not None)

    def _indicator_width(self) -> int:
        """The badge's minimum width, the same whatever it says ("Live"'s), so that
        scrubbing does not raise the row's minimum and push the window's docks sideways:
        a longer text ("Step N · earlier run") takes room from the slider while there is
        some, and is cut short only on a window too narrow for it."""
        return self._indicator.fontMetrics().horizontalAdvance(self.tr("Live")) + 2 * 8 + 6

    def _go_live(self) -> None:
        if self._selected is None:
            return
        self._selected = None
        self._move_slider(len(self._frames))
        self._update_indicator()
        self.live_requested.emit()

    @Slot(int)
    def _on_slider_value_changed(self, value: int) -> None:
        if self._updating:
            return
        if value >= len(self._frames):
            self._go_live()
            return
        frame = self._frames[value]
        if self._selected is not None and self._selected.key == frame.key:
            return
        self._selected = frame
        self._update_indicator()
        self.frame_requested.emit(frame.key)

    @Slot()
    def _on_slider_released(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._apply_frames(pending)

    @Slot()
    def _on_live_button_clicked(self) -> None:
        self._go_live()

    @Slot()
    def _on_live_action_triggered(self) -> None:
        self._go_live()
