"""Training curves over steps: losses, D's outputs, gradient norms, learning rates.

Owns four x-linked plots, their curve items (created once, updated with ``setData``), the
smoothing caches that make a refresh cost O(new points), and the pooled markers that show
where the user changed a setting. GUI thread; no torch.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style
from ganlab.widgets.flow_layout import FlowLayout
from ganlab.widgets.step_cursor import StepCursor

SMOOTHING_MAX = 0.99  # the slider's top: 1.0 would freeze the average at its first value
_SLIDER_STEPS = 100  # slider ticks per unit of smoothing
_DEFAULT_SMOOTHING = 0.9  # per-step GAN losses are noisy: show the trend from the start
_LEFT_AXIS_WIDTH = 64  # pixels at presentation factor 1: the same width aligns the 4 plots
PLOT_MIN_HEIGHT = 96  # pixels: four plots and the controls fit a 720-pixel-high screen
# Pixels of data area every plot keeps under its title and legend; below it the plots
# scroll (at 15 px two ticks of D's outputs overlapped and no curve could be read).
VIEW_MIN_HEIGHT = 64
_MARKER_ROWS = 3  # rows of setting-change texts at the top of the losses plot, at most
_SCAN_EPSILON = 1e-18  # a weight below this no longer changes a float64 sum


# Colours of the parts of G's loss (curves of the losses plot for pix2pix and CycleGAN).
TERM_COLORS: dict[str, str] = {
    "g_adv": "#b2abd2",  # G's adversarial term: a light shade of G's colour
    "l1": "#0571b0",
    "cycle": "#0571b0",
    "identity": "#92c5de",
}


def _nice_ceil(x: float) -> float:
    """The smallest 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten that is >= x."""
    if x <= 0:
        return 1.0
    exp = np.floor(np.log10(x))
    for m in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10.0**exp >= x:
            return float(m * 10.0**exp)
    return float(10.0 ** (exp + 1))


def ema_extend(
    values: np.ndarray, alpha: float, biased: float = 0.0, count: int = 0
) -> tuple[np.ndarray, float, int]:
    """Debiased exponential moving average of ``values``, continuing a previous state.

    ``s_t = alpha * s_{t-1} + (1 - alpha) * x_t``, shown as ``s_t / (1 - alpha**count)``
    as TensorBoard does. Non-finite values neither update nor reset the average; their
    output is NaN.

    Parameters
    ----------
    values
        (m,) new raw values.
    alpha
        Smoothing factor in [0, 1).
    biased, count
        State after the previous values: the biased average and how many finite values
        it has seen (0 and 0 to start).

    Returns
    -------
    smoothed, biased, count
        (m,) float64 smoothed values and the state to continue from.
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    y = (1.0 - alpha) * values[finite]
    m = len(y)
    if m == 0:
        return out, biased, count
    # Linear recurrence as a prefix scan (Hillis-Steele): after the pass with shift k each
    # entry sums its last 2k inputs. Every weight is <= 1, so the scan is stable, and it
    # stops once the weights no longer matter: O(m log m) in numpy, no Python loop over m.
    shift, decay = 1, alpha
    while shift < m and decay > _SCAN_EPSILON:
        y[shift:] += decay * y[:-shift]  # the right side is evaluated first: old values
        shift, decay = 2 * shift, decay * decay
    exponents = np.arange(1, m + 1, dtype=np.float64)
    y += biased * np.power(alpha, exponents)
    out[finite] = y / (1.0 - np.power(alpha, count + exponents))
    return out, float(y[-1]), count + m


class _Rows:
    """Float storage that appends at the back and drops at the front in amortised O(1)."""

    def __init__(self) -> None:
        self._buf = np.empty(0)
        self._start = 0
        self._end = 0

    def __len__(self) -> int:
        return self._end - self._start

    def reset(self) -> None:
        self._buf = np.empty(0)
        self._start = self._end = 0

    def drop_front(self, n: int) -> None:
        self._start += n

    def append(self, rows: np.ndarray) -> None:
        m = len(rows)
        if self._end + m > len(self._buf):
            live = len(self)
            if live + m <= 3 * len(self._buf) // 4:  # a quarter free: compact, keep the buffer
                self._buf[:live] = self._buf[self._start : self._end]
            else:
                # Growing by a quarter (not doubling) is still amortised O(1), and a full
                # window costs at most 1.25x its points rather than 2x.
                grown = np.empty(max(live + m + max(live // 4, 1024), 1024))
                grown[:live] = self._buf[self._start : self._end]
                self._buf = grown
            self._start, self._end = 0, live
        self._buf[self._end : self._end + m] = rows
        self._end += m

    def view(self) -> np.ndarray:
        return self._buf[self._start : self._end]


class _SeriesCache:
    """What the panel remembers of one series between refreshes: its finite points.

    The series is a window of an append-only history (a ring buffer view): from one
    refresh to the next, points are appended at the back and, once the buffer is full,
    dropped at the front. The cache follows the window in O(new points).

    Only finite points are kept, and the curves are drawn through them. A value that was
    not computed at a step (NaN) is thus skipped rather than drawn as a gap: a G loss
    logged every 5th step (5 critic steps per G step) is still a line, and peak
    downsampling, which takes a min and max per bin, never meets a NaN.

    Dropping old points leaves the smoothed values of the points kept unchanged: they
    remain the average over the history, as before the ring buffer was full.
    """

    def __init__(self, keep_raw: bool = True) -> None:
        self.keep_raw = keep_raw  # False: only the smoothed values are drawn (per layer)
        self.steps = _Rows()  # steps of the finite values in the window
        self.raw = _Rows()
        self.smoothed = _Rows()
        self.full_points = 0  # points taken from scratch (clear, new factor, no overlap)
        self.extended_points = 0  # points taken by continuing the cache
        self.reset()

    def reset(self) -> None:
        for rows in (self.steps, self.raw, self.smoothed):
            rows.reset()
        self.alpha: float | None = None
        self.first_step = 0
        self.last_step = 0
        self.count = 0  # points (finite or not) in the cached window
        self.biased = 0.0
        self.seen = 0  # finite values the average has taken in
        self.last_nonpositive: float | None = None  # step of the newest value <= 0

    def update(self, steps: np.ndarray, values: np.ndarray, alpha: float) -> None:
        """Follow the new window of ``steps`` and ``values``, smoothed with ``alpha``."""
        n = len(steps)
        tail_start = self._tail_start(steps, alpha)
        if tail_start is None:
            self.reset()
            self.alpha = alpha
            tail_start = 0
            self.full_points += n
        else:
            self.extended_points += n - tail_start
        tail = np.asarray(values[tail_start:], dtype=np.float64)
        finite = np.isfinite(tail)
        x = np.asarray(steps[tail_start:], dtype=np.float64)[finite]
        y = tail[finite]
        nonpositive = np.flatnonzero(y <= 0)
        if len(nonpositive):
            self.last_nonpositive = float(x[nonpositive[-1]])
        self.steps.append(x)
        if self.keep_raw or alpha == 0:
            self.raw.append(y)
        if alpha > 0:
            smoothed, self.biased, self.seen = ema_extend(y, alpha, self.biased, self.seen)
            self.smoothed.append(smoothed)
        if n:
            self.first_step, self.last_step, self.count = int(steps[0]), int(steps[-1]), n
        else:
            self.count = 0

    def shown(self) -> np.ndarray:
        """The values of the main line: smoothed, or raw when smoothing is off."""
        return self.smoothed.view() if self.alpha else self.raw.view()

    def _tail_start(self, steps: np.ndarray, alpha: float) -> int | None:
        """Index of the first new point, after dropping what left the window; None: redo."""
        if alpha != self.alpha or self.count == 0 or len(steps) == 0:
            return None
        if int(steps[0]) < self.first_step:
            return None
        j = int(np.searchsorted(steps, self.last_step))
        if j >= len(steps) or int(steps[j]) != self.last_step:
            return None  # the cached newest point is gone: no overlap left
        if self.count - (j + 1) < 0:
            return None
        gone = int(np.searchsorted(self.steps.view(), float(steps[0])))
        for rows in (self.steps, self.raw, self.smoothed):
            if len(rows):
                rows.drop_front(gone)
        return j + 1

    def has_nonpositive(self) -> bool:
        """Whether the window holds a value <= 0 (no log scale then)."""
        x = self.steps.view()
        return self.last_nonpositive is not None and len(x) > 0 and self.last_nonpositive >= x[0]


@dataclass
class _Curve:
    """One series on one plot: the smoothed line, its faint raw copy and their cache."""

    key: str
    line: pg.PlotDataItem
    raw: pg.PlotDataItem | None  # None: this series is never smoothed (learning rates)
    cache: _SeriesCache


def _fast(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """Make a curve cheap to draw at 100k points. Call after ``PlotItem.addItem``, which
    imposes the plot's own downsampling settings on the item."""
    # Peak downsampling keeps spikes visible; clipping skips points outside the view.
    item.setDownsampling(auto=True, method="peak")
    item.setClipToView(True)
    # Peak mode draws a min and a max per bin: one bin per pixel column loses nothing
    # (pyqtgraph's default, 5 bins per pixel, draws 10 points per column).
    item.setData(autoDownsampleFactor=1.0)
    if pg.mkPen(item.opts["pen"]).widthF() > 1:
        # Qt strokes a wide antialiased polyline many times slower than separate segments.
        item.curve.setSegmentedLineMode("on")
    return item


def _style_legend(legend: pg.LegendItem) -> None:
    size = f"{style.font(0.85).pointSizeF():.1f}pt"
    legend.opts["labelTextSize"] = size  # for entries added later
    for _sample, label in legend.items:
        label.setText(label.text, size=size)


class _Axis(pg.AxisItem):
    """An axis with plain numbers and readable logarithmic ticks.

    In log mode pyqtgraph labels every 1..9 multiple of a decade, which overlap on a short
    plot; here only 1, 2 and 5 get a label and the other multiples get a bare tick.
    """

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.enableAutoSIPrefix(False)  # "(x0.001)" beside a label reads as part of it
        self.setStyle(maxTextLevel=1)

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph)
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if not ticks or ticks[-1][0] is not None:
            return ticks
        minor = np.asarray(ticks[-1][1], dtype=np.float64)
        digit = np.rint(10 ** (minor - np.floor(minor + 1e-9)))
        labelled = np.isin(digit, (1, 2, 5))
        return [*ticks[:-1], (None, list(minor[labelled])), (None, list(minor[~labelled]))]


def _shades(hex_code: str, n: int) -> list[QColor]:
    """``n`` shades of a colour, from lighter to darker, for per-layer curves."""
    base = QColor(hex_code)
    out = []
    for t in np.linspace(0.3, -0.55, n) if n > 1 else [0.0]:
        target = 255 if t > 0 else 0
        w = abs(float(t))
        mix = [round((1 - w) * c + w * target) for c in (base.red(), base.green(), base.blue())]
        out.append(QColor(*mix))
    return out


class CurvesPanel(QWidget):
    """Training curves against steps, four stacked plots sharing the x axis.

    Setters take numpy views of the controller's ring buffers. The panel keeps the finite
    points (and their smoothed values) in caches that follow the buffers' appends, so a
    refresh costs O(new points) before pyqtgraph's own drawing. The controls only change
    the view, and announce it with ``*_changed`` signals so the session can remember them.
    """

    smoothing_changed = Signal(float)
    log_scale_changed = Signal(bool)
    per_layer_changed = Signal(bool)

    PLOTS = ("losses", "outputs", "grad_norms", "learning_rates")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._alpha = _DEFAULT_SMOOTHING
        self._output_kind = "probability"
        self._outputs_after: int | None = None  # D's outputs shown only after this step
        self._steps: np.ndarray = np.empty(0, dtype=np.int64)
        self._series: dict[str, np.ndarray] = {}
        self._layers: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
        # Nets whose norms arrived but are not drawn yet. Only these are drawn by set_data:
        # an older view may have been overwritten by its ring buffer since it was passed.
        self._layers_pending: set[str] = set()
        self._markers: list[tuple[int, str]] = []
        self._log_refused: dict[str, bool] = {"losses": False, "grad_norms": False}
        self._log_in_effect: dict[str, bool] = {"losses": False, "grad_norms": False}
        self._lr_log = True
        # Stable view ranges (see _follow_ranges): pyqtgraph re-renders an axis and its grid
        # whenever its range changes, which cost more than the curves when every frame
        # nudged the auto range. None = not set yet for this segment.
        self._following = True  # False once the user zooms or pans by hand
        self._x_end: float | None = None  # set_x_end: a fixed end of the x axis
        self._x_range: tuple[float, float] | None = None
        self._y_ranges: dict[str, tuple[float, float] | None] = {}
        self._setting_range = False

        self._build_controls()
        self._widgets: dict[str, pg.PlotWidget] = {
            name: pg.PlotWidget(axisItems={"left": _Axis("left"), "bottom": _Axis("bottom")})
            for name in self.PLOTS
        }
        self._plots: dict[str, pg.PlotItem] = {
            name: w.getPlotItem() for name, w in self._widgets.items()
        }
        for name, plot in self._plots.items():
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
            legend = plot.addLegend(offset=(-8, 2))
            # In the title band, never over a curve: _layout_header puts it right of the
            # left-aligned title, or under it when both do not fit on one line.
            legend.setParentItem(plot)
            legend.setColumnCount(3)
            plot.titleLabel.setAttr("justify", "left")
            plot.geometryChanged.connect(partial(self._layout_header, name))
            if name != "losses":
                plot.setXLink(self._plots["losses"])
            # _follow_ranges sets the ranges; pyqtgraph's auto range would move them (and
            # re-render the axes) on every frame, and on these X-linked plots it can loop
            # forever (see _set_log_y). It stays off: the "A" button and the menu's auto
            # range mean "follow the data again", done by this panel.
            plot.enableAutoRange(enable=False)
            view_box = plot.getViewBox()
            view_box.sigRangeChangedManually.connect(self._on_view_range_changed_manually)
            view_box.sigStateChanged.connect(self._on_view_state_changed)
            plot.autoBtn.clicked.disconnect(plot.autoBtnClicked)
            plot.autoBtn.clicked.connect(self._on_auto_button_clicked)

        self._curves: dict[str, _Curve] = {}
        self._add_curve("losses", "d_loss", style.D_COLOR)
        self._add_curve("losses", "g_loss", style.G_COLOR)
        self._add_curve("outputs", "d_real", style.REAL)
        self._add_curve("outputs", "d_fake", style.FAKE)
        # The parts of G's loss some families add (set_loss_terms shows the family's own).
        for key, hex_code in TERM_COLORS.items():
            self._add_curve("losses", key, hex_code, width=1.8)
        self._terms: tuple[str, ...] = ()
        self.set_loss_terms(())
        self._add_curve("grad_norms", "grad_norm_d", style.D_COLOR)
        self._add_curve("grad_norms", "grad_norm_g", style.G_COLOR)
        # D drawn wide underneath G: when both rates are equal, both stay visible.
        self._add_curve("learning_rates", "lr_d", style.D_COLOR, smoothed=False, width=5)
        self._add_curve("learning_rates", "lr_g", style.G_COLOR, smoothed=False, width=2)

        # Per-layer curves: a pool per network, grown when a model has more layers.
        self._layer_curves: dict[str, list[_Curve]] = {"d": [], "g": []}
        self._layer_names: dict[str, tuple[str, ...]] = {"d": (), "g": ()}
        self._set_log_y("learning_rates", self._lr_log)

        half_pen = pg.mkPen(style.NEUTRAL, width=1.5, style=Qt.PenStyle.DashLine)
        self._half_line = pg.InfiniteLine(pos=0.5, angle=0, pen=half_pen)
        self._plots["outputs"].addItem(self._half_line, ignoreBounds=True)
        # The line is explained in the legend, where no curve can hide the words: an empty
        # item with the same pen stands for it there.
        self._half_sample = pg.PlotDataItem(pen=half_pen)
        self._plots["outputs"].addItem(self._half_sample)
        self._marker_lines: dict[str, list[pg.InfiniteLine]] = {name: [] for name in self.PLOTS}
        # The timeline's cursor, one line per plot, made on first use (see set_cursor).
        self._cursor = StepCursor()  # the timeline's (set_cursor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addLayout(self._controls)
        # The plots scroll when a short dock (or presentation mode's larger text) leaves
        # less than their minimum height: squeezed further, a plot shows no curve at all.
        plots = QWidget()
        column = QVBoxLayout(plots)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for w in self._widgets.values():
            column.addWidget(w, 1)
        self._plots_area = QScrollArea()
        self._plots_area.setWidget(plots)
        self._plots_area.setWidgetResizable(True)
        self._plots_area.setFrameShape(QFrame.Shape.NoFrame)
        self._plots_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self._plots_area, 1)

        self._apply_texts()
        self.restyle()
        self.set_output_kind("probability")

    # -- construction ----------------------------------------------------------------

    def _build_controls(self) -> None:
        self._smoothing_label = QLabel(self.tr("Smoothing"))
        self._smoothing_slider = QSlider(Qt.Orientation.Horizontal)
        self._smoothing_slider.setRange(0, round(SMOOTHING_MAX * _SLIDER_STEPS))
        self._smoothing_slider.setValue(round(self._alpha * _SLIDER_STEPS))
        self._smoothing_slider.setMinimumWidth(90)
        self._smoothing_value = QLabel()
        self._smoothing_value.setMinimumWidth(40)
        smoothing_tip = self.tr(
            "Average each curve over recent steps so the trend shows through the noise. "
            "0 shows the raw values; closer to 1 averages over more steps. "
            "The raw values stay faintly behind."
        )
        for w in (self._smoothing_label, self._smoothing_slider, self._smoothing_value):
            w.setToolTip(smoothing_tip)
        self._log_check = QCheckBox(self.tr("Log scale"))
        self._per_layer_check = QCheckBox(self.tr("Per layer"))
        self._per_layer_check.setToolTip(
            self.tr(
                "Also draw the gradient norm of every layer, in shades of its network's "
                "colour and named in the legend."
            )
        )
        # The smoothing group stays on one line; the check boxes wrap under it when the
        # dock is narrow, so the row never forces the window's width.
        smoothing = QWidget()
        smoothing_row = QHBoxLayout(smoothing)
        smoothing_row.setContentsMargins(0, 0, 0, 0)
        smoothing_row.addWidget(self._smoothing_label)
        smoothing_row.addWidget(self._smoothing_slider, 1)
        smoothing_row.addWidget(self._smoothing_value)
        self._controls = FlowLayout(spacing=12)
        self._controls.setContentsMargins(6, 2, 6, 2)
        self._controls.addWidget(smoothing)
        self._controls.addWidget(self._log_check)
        self._controls.addWidget(self._per_layer_check)

        self._smoothing_slider.valueChanged.connect(self._on_smoothing_slider_changed)
        self._log_check.toggled.connect(self._on_log_check_toggled)
        self._per_layer_check.toggled.connect(self._on_per_layer_check_toggled)
        self._show_smoothing_value()
        self._update_log_tooltip()

    def _add_curve(
        self, plot: str, key: str, hex_code: str, smoothed: bool = True, width: float = 2.5
    ) -> None:
        target = self._plots[plot]
        raw = None
        if smoothed:
            raw = pg.PlotDataItem(pen=pg.mkPen(style.color(hex_code, 60), width=1))
            target.addItem(raw)  # no name: the faint copy stays out of the legend
            _fast(raw)
        # Opaque: drawn as segments, a translucent pen would darken where they meet.
        line = pg.PlotDataItem(pen=pg.mkPen(hex_code, width=width))
        target.addItem(line)
        _fast(line)
        target.legend.addItem(line, "")
        self._curves[key] = _Curve(key, line, raw, _SeriesCache())

    def _apply_texts(self) -> None:
        p = self._plots
        p["losses"].setLabel("left", self.tr("loss"))
        p["grad_norms"].setLabel("left", self.tr("gradient norm"))
        p["learning_rates"].setLabel("left", self.tr("learning rate"))
        p["learning_rates"].setLabel("bottom", self.tr("step"))
        names = {
            "d_loss": self.tr("D loss"),
            "g_loss": self.tr("G loss"),
            "grad_norm_d": self.tr("D total"),
            "grad_norm_g": self.tr("G total"),
            "lr_d": self.tr("D"),
            "lr_g": self.tr("G"),
            **self._term_names(),
        }
        for key, name in names.items():
            self._set_legend_name(self._curves[key].line, name)
        self._set_titles()

    # -- public API --------------------------------------------------------------------

    def plot_widgets(self) -> dict[str, pg.PlotWidget]:
        """The four plots by name, e.g. to export each one with pyqtgraph's ImageExporter.

        Returns
        -------
        dict
            ``"losses"``, ``"outputs"``, ``"grad_norms"``, ``"learning_rates"`` ->
            ``pg.PlotWidget``, top to bottom.
        """
        return dict(self._widgets)

    def set_data(self, steps: np.ndarray, series: dict[str, np.ndarray]) -> None:
        """Show the newest history.

        Parameters
        ----------
        steps
            (n,) step numbers, strictly increasing within a segment.
        series
            ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``, ``grad_norm_d``, ``grad_norm_g``,
            ``lr_d``, ``lr_g`` -> (n,) values; NaN where a value was not computed. A
            missing key leaves its curve empty.
        """
        self._steps = steps
        self._series = series
        after = self._outputs_after
        for curve in self._curves.values():
            values = series.get(curve.key)
            if after is not None and curve.key in ("d_real", "d_fake") and values is not None:
                start = int(np.searchsorted(steps, after, side="right"))
                self._draw(curve, steps[start:], values[start:])
                continue
            self._draw(curve, steps, values)
        for net in ("d", "g"):
            if net in self._layers_pending:
                self._draw_layers(net)
        self._update_log_modes()
        self._follow_ranges()

    def set_loss_terms(self, terms: tuple[str, ...]) -> None:
        """Show these parts of G's loss in the losses plot, next to D's and G's totals
        (``ModelFamily.loss_terms``: pix2pix's ``g_adv`` and ``l1``, CycleGAN's ``g_adv``,
        ``cycle`` and ``identity``); the other term curves are hidden and leave the legend.
        Unknown names are ignored."""
        legend = self._plots["losses"].legend
        self._terms = tuple(t for t in terms if t in TERM_COLORS)
        for key in TERM_COLORS:
            curve = self._curves[key]
            shown = key in self._terms
            for item in (curve.line, curve.raw):
                if item is not None:
                    item.setVisible(shown)
            legend.removeItem(curve.line)
            if shown:
                legend.addItem(curve.line, "")
                self._set_legend_name(curve.line, self._term_names()[key])

    def _term_names(self) -> dict[str, str]:
        return {
            "g_adv": self.tr("G adversarial"),
            "l1": self.tr("L1"),
            "cycle": self.tr("cycle"),
            "identity": self.tr("identity"),
        }

    def set_layer_norms(self, net: str, names: tuple[str, ...], norms: np.ndarray) -> None:
        """Per-layer gradient norms of one network, drawn when "Per layer" is on.

        Parameters
        ----------
        net
            ``"d"`` or ``"g"``.
        names
            Layer names, one per column, shown in the legend.
        norms
            (n, L) norms aligned with the steps of the last ``set_data``. When the row
            count differs they are drawn at the next ``set_data`` with as many steps.
        """
        if net not in self._layer_curves:
            raise ValueError(f"net must be 'd' or 'g', not {net!r}")
        names = tuple(names)
        if names != self._layer_names[net]:
            self._rename_layers(net, names)
        self._layers[net] = (names, norms)
        self._layers_pending.add(net)
        self._draw_layers(net)
        self._update_log_modes()

    def set_markers(self, markers: list[tuple[int, str]]) -> None:
        """Vertical lines at the steps where a setting changed, on every plot.

        Parameters
        ----------
        markers
            ``(step, text)`` pairs, e.g. ``(1200, "lr_d 0.001→0.01")``.
        """
        self._markers = list(markers)
        for plot_name, pool in self._marker_lines.items():
            while len(pool) < len(self._markers):
                pool.append(self._new_marker(plot_name))
            for i, line in enumerate(pool):
                if i >= len(self._markers):
                    line.hide()
                    continue
                step, text = self._markers[i]
                line.show()  # before setFormat: a hidden label does not take new text
                line.setValue(step)
                line.label.setVisible(True)  # _place_marker_labels hides it again
                line.label.setFormat(text.replace("{", "{{").replace("}", "}}"))
        self._place_marker_labels()

    def set_cursor(self, step: int | None) -> None:
        """A vertical line at ``step`` on every plot: the step the views show while the
        timeline is scrubbed back. None hides it (live). Distinct from the setting
        markers (solid, coloured, no text) and never stretches a plot's range."""
        tip = "" if step is None else self.tr("The views show step {step}").format(step=step)
        self._cursor.set(self._plots, step, tip)

    def cursor(self) -> float | None:
        """The step the cursor marks, or None when it is hidden."""
        return self._cursor.value()

    def set_output_kind(self, kind: str, from_step: int | None = None) -> None:
        """How to read D's outputs.

        Parameters
        ----------
        kind
            ``"probability"``: y in [0, 1] with a dashed line at 1/2 (D cannot tell);
            ``"score"``: unbounded critic scores, automatic y range.
        from_step
            A live loss switch at this step: D's outputs before it were of the other
            kind, so the plot shows only the steps after it (one line through both
            would join a probability to a score). None: the whole segment is of
            ``kind``.

        Raises
        ------
        ValueError
            ``kind`` is neither of the two.
        """
        if kind not in ("probability", "score"):
            raise ValueError(f"kind must be 'probability' or 'score', not {kind!r}")
        if from_step is not None and kind != self._output_kind:
            self._outputs_after = from_step
            for key in ("d_real", "d_fake"):
                self._curves[key].cache.reset()
        elif from_step is None:
            self._outputs_after = None
        self._output_kind = kind
        plot = self._plots["outputs"]
        real, fake = self._curves["d_real"].line, self._curves["d_fake"].line
        if kind == "probability":
            plot.setLabel("left", self.tr("mean D output"))
            self._set_legend_name(real, self.tr("mean D(x), real"))
            self._set_legend_name(fake, self.tr("mean D(G(z)), fake"))
            plot.enableAutoRange(axis="y", enable=False)
            plot.setYRange(0.0, 1.0, padding=0.02)
            self._half_line.show()
            if plot.legend.getLabel(self._half_sample) is None:
                plot.legend.addItem(self._half_sample, html.escape(self.tr("1/2: cannot tell")))
                _style_legend(plot.legend)
        else:
            plot.setLabel("left", self.tr("critic score"))
            self._set_legend_name(real, self.tr("mean critic score, real"))
            self._set_legend_name(fake, self.tr("mean critic score, fake"))
            self._half_line.hide()
            plot.legend.removeItem(self._half_sample)
            self._y_ranges["outputs"] = None  # _follow_ranges fits the scores
        self._set_titles()

    def clear(self) -> None:
        """Forget everything shown: a new segment starts."""
        self._steps = np.empty(0, dtype=np.int64)
        self._series = {}
        self._layers = {}
        self._layers_pending.clear()
        empty = np.empty(0)
        for curve in self._all_curves():
            curve.cache.reset()
            curve.line.setData(empty, empty)
            if curve.raw is not None:
                curve.raw.setData(empty, empty)
        self.set_markers([])
        self._update_log_modes()
        self._following = True
        self._x_range = None
        self._y_ranges = {}
        self._outputs_after = None
        # Until the new segment's first points: a plain frame, not the old ranges.
        for name, plot in self._plots.items():
            log = self._lr_log if name == "learning_rates" else self._log_in_effect.get(name)
            plot.setXRange(0.0, 100.0, padding=0.0)
            plot.setYRange(
                *(
                    (-4.0, -2.0)
                    if name == "learning_rates" and log
                    else (-1.0, 1.0)
                    if log
                    else (0.0, 1.0)
                ),
                padding=0.02,
            )

    def set_smoothing(self, alpha: float) -> None:
        """Set the smoothing factor (0 to 0.99), as the slider does."""
        self._smoothing_slider.setValue(round(min(max(alpha, 0.0), SMOOTHING_MAX) * _SLIDER_STEPS))

    def set_log_scale(self, on: bool) -> None:
        """Ask for a log y axis on losses and gradient norms, as the check box does."""
        self._log_check.setChecked(on)

    def set_per_layer(self, on: bool) -> None:
        """Show or hide the per-layer gradient norms, as the check box does."""
        self._per_layer_check.setChecked(on)

    def smoothing(self) -> float:
        """The smoothing factor in effect."""
        return self._alpha

    def log_scale_in_effect(self) -> dict[str, bool]:
        """Whether each plot that can be logarithmic is, now (asked for and possible)."""
        return dict(self._log_in_effect)

    def smoothing_work(self) -> dict[str, int]:
        """Points smoothed so far, over all curves: ``"full"`` from scratch, ``"extended"``
        by continuing a cached average. A diagnostic: appends should only extend."""
        curves = self._all_curves()
        return {
            "full": sum(c.cache.full_points for c in curves),
            "extended": sum(c.cache.extended_points for c in curves),
        }

    def restyle(self) -> None:
        """Re-apply fonts and sizes, e.g. after the presentation factor changed."""
        for w in (
            self._smoothing_label,
            self._smoothing_value,
            self._log_check,
            self._per_layer_check,
        ):
            w.setFont(style.font())
        for w in self._widgets.values():
            w.setMinimumHeight(round(PLOT_MIN_HEIGHT * style.presentation_factor()))
        for plot in self._plots.values():
            style.style_plot(plot)
            plot.getAxis("left").setWidth(round(_LEFT_AXIS_WIDTH * style.presentation_factor()))
            _style_legend(plot.legend)
        for pool in self._marker_lines.values():
            for line in pool:
                line.label.setFont(style.font(0.8))
        self._set_titles()

    # -- drawing -----------------------------------------------------------------------

    def _draw(self, curve: _Curve, steps: np.ndarray, values: np.ndarray | None) -> None:
        if values is None or len(values) != len(steps):
            curve.cache.reset()
            empty = np.empty(0)
            curve.line.setData(empty, empty)
            if curve.raw is not None:
                curve.raw.setData(empty, empty)
            return
        alpha = self._alpha if curve.raw is not None else 0.0
        cache = curve.cache
        cache.update(steps, values, alpha)
        x = cache.steps.view()
        # The cache holds finite values only; "finite" still guards log mode's transients.
        curve.line.setData(x, cache.shown(), connect="finite")
        if curve.raw is not None:
            if alpha > 0:
                curve.raw.setData(x, cache.raw.view(), connect="finite")
            curve.raw.setVisible(alpha > 0)

    def _draw_layers(self, net: str) -> None:
        pool = self._layer_curves[net]
        on = self._per_layer_check.isChecked()
        entry = self._layers.get(net)
        names = entry[0] if entry is not None else ()
        for i, curve in enumerate(pool):
            curve.line.setVisible(on and i < len(names))
        if not on or entry is None:
            return
        norms = entry[1]
        if norms.ndim != 2 or norms.shape[0] != len(self._steps) or norms.shape[1] != len(names):
            return  # not aligned with the steps shown: wait for the matching set_data
        for i, curve in enumerate(pool[: len(names)]):
            curve.cache.update(self._steps, norms[:, i], self._alpha)
            curve.line.setData(curve.cache.steps.view(), curve.cache.shown(), connect="finite")
        self._layers_pending.discard(net)

    def _rename_layers(self, net: str, names: tuple[str, ...]) -> None:
        pool = self._layer_curves[net]
        plot = self._plots["grad_norms"]
        base = style.D_COLOR if net == "d" else style.G_COLOR
        while len(pool) < len(names):
            line = pg.PlotDataItem()
            plot.addItem(line)
            _fast(line)
            pool.append(_Curve(f"{net}{len(pool)}", line, None, _SeriesCache(keep_raw=False)))
        for curve, shade in zip(pool, _shades(base, len(names)), strict=False):
            curve.line.setPen(pg.mkPen(shade, width=1))
        for curve in pool:
            curve.cache.reset()
            curve.line.setData(np.empty(0), np.empty(0))
            curve.line.hide()
        self._layer_names[net] = names
        self._layers.pop(net, None)
        self._layers_pending.discard(net)
        self._sync_layer_legend()

    def _sync_layer_legend(self) -> None:
        legend = self._plots["grad_norms"].legend
        on = self._per_layer_check.isChecked()
        shown = 0
        for net in ("d", "g"):
            for curve in self._layer_curves[net]:
                legend.removeItem(curve.line)
            if not on:
                continue
            label = "D" if net == "d" else "G"
            for curve, name in zip(self._layer_curves[net], self._layer_names[net], strict=False):
                legend.addItem(curve.line, html.escape(f"{label}: {name}"))
                shown += 1
        _style_legend(legend)
        self._layout_header("grad_norms")

    def _new_marker(self, plot_name: str) -> pg.InfiniteLine:
        line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(style.NEUTRAL, width=1.5, style=Qt.PenStyle.DotLine),
            label="",
            labelOpts={
                "position": 0.93,  # near the top, text to the right of the line
                "color": "#222222",
                "fill": pg.mkBrush(255, 255, 255, 200),
            },
        )
        line.label.setFont(style.font(0.8))
        # ignoreBounds: a marker must not stretch the automatic range.
        self._plots[plot_name].addItem(line, ignoreBounds=True)
        return line

    def _place_marker_label(self, line: pg.InfiniteLine) -> None:
        """Text right of a marker in the left half of the view, left of it in the right
        half: the newest change, at the right edge, is read whole."""
        lo, hi = self._plots["losses"].getViewBox().viewRange()[0]
        right_half = line.value() > (lo + hi) / 2
        # Top corner at the point: the text hangs below it, inside the plot.
        anchors = [(1, 0), (1, 0)] if right_half else [(0, 0), (0, 0)]
        if line.label.anchors != anchors:
            line.label.anchors = anchors
            line.label.updatePosition()

    def _place_marker_labels(self) -> None:
        """Write the markers' texts on the top plot only, staggered in up to
        ``_MARKER_ROWS`` rows (as many as the plot's height holds) so that no two overlap;
        a text with no free row is left out. Every line names its change in its tooltip,
        on every plot."""
        view = self._plots["losses"].getViewBox()
        (lo, hi), width = view.viewRange()[0], max(view.width(), 1.0)
        height = max(view.height(), 1.0)
        row_h = 1.0 + max(
            (line.label.boundingRect().height() for line in self._marker_lines["losses"]),
            default=20.0,
        )
        rows = max(1, min(_MARKER_ROWS, int((height - 4.0) // row_h)))
        levels = [1.0 - (4.0 + i * row_h) / height for i in range(rows)]
        taken: list[list[tuple[float, float]]] = [[] for _ in levels]
        for name, pool in self._marker_lines.items():
            for line in pool:
                if not line.isVisible():
                    continue
                text = line.label.format.replace("{{", "{").replace("}}", "}")
                line.setToolTip(text)
                if name != "losses":
                    line.label.setVisible(False)
                    continue
                self._place_marker_label(line)
                x = (line.value() - lo) / (hi - lo) * width if hi > lo else 0.0
                w = line.label.boundingRect().width() + 4.0
                span = (x - w, x) if line.label.anchors[0][0] == 1 else (x, x + w)
                for level, used in enumerate(taken):
                    if all(span[1] <= a or span[0] >= b for a, b in used):
                        used.append(span)
                        if line.label.orthoPos != levels[level]:
                            line.label.setPosition(levels[level])
                        line.label.setVisible(True)
                        break
                else:
                    line.label.setVisible(False)

    def _on_view_range_changed_manually(self, *_: object) -> None:
        """The user zoomed or panned: stop moving the view for them until asked again."""
        self._following = False

    def _on_view_state_changed(self, view_box: pg.ViewBox) -> None:
        """pyqtgraph's own auto range was switched on (the plot's context menu): turn it
        off again at once and follow the data here instead."""
        if self._setting_range or not any(view_box.autoRangeEnabled()):
            return  # _set_log_y turns it off itself and keeps the view where it was
        view_box.enableAutoRange(enable=False)  # emits again, with nothing enabled
        self.follow_data()

    def _on_auto_button_clicked(self, *_: object) -> None:
        self.follow_data()

    def set_x_end(self, end: float | None) -> None:
        """End the x axis at step ``end`` while the data stays within it (an export of a
        finished range: no room for steps to come); None: the usual headroom of a quarter
        past the newest step."""
        self._x_end = None if end is None else float(end)
        self._x_range = None
        self._follow_ranges()

    def follow_data(self) -> None:
        """Fit every plot to its data and keep following it, as after ``clear()``; what
        the "A" button of a plot does after the user zoomed or panned."""
        self._following = True
        self._x_range = None
        self._y_ranges = {}
        if self._output_kind == "probability":
            self._plots["outputs"].setYRange(0.0, 1.0, padding=0.02)
        self._follow_ranges()

    def _set_log_y(self, name: str, on: bool) -> None:
        """Switch one plot's y axis between linear and logarithmic.

        ``PlotItem.setLogMode`` ends by switching pyqtgraph's auto range back on for both
        axes. On these X-linked plots, whose curves clip to the view, each automatic x
        range then moved the others' bounds through the links and the GUI thread never
        got out (the frozen window of issue 9). So auto range goes off again at once,
        the x range is put back and the y range is fitted to the data in the new scale.
        """
        plot = self._plots[name]
        x_range = plot.getViewBox().viewRange()[0]
        self._setting_range = True
        try:
            plot.setLogMode(False, on)
            plot.enableAutoRange(enable=False)
            plot.setXRange(*x_range, padding=0.0)
        finally:
            self._setting_range = False
        self._y_ranges[name] = None
        self._follow_y(name)

    def _follow_ranges(self) -> None:
        """Keep the data in view while changing the ranges as rarely as possible.

        x grows to the next round value past 125 % of the last step; y grows when the data
        leaves it and shrinks when the data fills less than a third of it. Between those
        moments axes and grids keep their cached pictures, so a frame repaints only curves.
        """
        if not self._following or len(self._steps) == 0:
            return
        self._setting_range = True
        try:
            first, last = float(self._steps[0]), float(self._steps[-1])
            end = self._x_end if self._x_end is not None and self._x_end > first else None
            if end is not None and last <= end:
                if self._x_range != (first, end):
                    self._x_range = (first, end)
                    self._plots["losses"].setXRange(first, end, padding=0.0)
                    self._place_marker_labels()
            elif self._x_range is None or last > self._x_range[1] or first > self._x_range[0]:
                hi = _nice_ceil(max(first + 10.0, first + (last - first) * 1.25))
                self._x_range = (first, hi)
                self._plots["losses"].setXRange(first, hi, padding=0.0)
                self._place_marker_labels()
            for name in self.PLOTS:
                if name == "outputs" and self._output_kind == "probability":
                    continue  # fixed [0, 1]
                self._follow_y(name)
        finally:
            self._setting_range = False

    def _follow_y(self, name: str) -> None:
        log = self._lr_log if name == "learning_rates" else self._log_in_effect.get(name, False)
        lo, hi = np.inf, -np.inf
        for curve in self._all_curves():
            if not curve.line.isVisible() or self._plots_of(curve.line) is not self._plots[name]:
                continue
            for values in (
                curve.cache.shown(),
                curve.cache.raw.view() if curve.raw is not None and curve.raw.isVisible() else None,
            ):
                if values is None or len(values) == 0:
                    continue
                v = np.log10(values[values > 0]) if log else values
                if len(v):
                    lo, hi = min(lo, float(v.min())), max(hi, float(v.max()))
        if not np.isfinite(lo) or not np.isfinite(hi):
            return
        span = max(hi - lo, 1e-9 if not log else 0.05, abs(hi) * 1e-3)
        current = self._y_ranges.get(name)
        if (
            current is not None
            and current[0] <= lo
            and hi <= current[1]
            and (current[1] - current[0]) <= 3.0 * span
        ):
            return
        pad = 0.08 * span
        self._y_ranges[name] = (lo - pad, hi + pad)
        self._plots[name].setYRange(lo - pad, hi + pad, padding=0.0)

    def _update_log_modes(self) -> None:
        wanted = self._log_check.isChecked()
        groups = {
            "losses": [self._curves["d_loss"], self._curves["g_loss"]],
            "grad_norms": [self._curves["grad_norm_d"], self._curves["grad_norm_g"]],
        }
        if self._per_layer_check.isChecked():
            groups["grad_norms"] += [c for net in ("d", "g") for c in self._layer_curves[net]]
        changed = False
        for name, curves in groups.items():
            refused = any(c.cache.has_nonpositive() for c in curves)
            if refused != self._log_refused[name]:
                self._log_refused[name] = refused
                changed = True
            log = wanted and not refused
            if self._log_in_effect[name] != log:
                self._log_in_effect[name] = log
                self._set_log_y(name, log)
        # Rates are compared across decades; a rate of 0 (a frozen network) forces linear.
        lr_log = not any(self._curves[k].cache.has_nonpositive() for k in ("lr_d", "lr_g"))
        if lr_log != self._lr_log:
            self._lr_log = lr_log
            self._set_log_y("learning_rates", lr_log)
        if changed:
            self._update_log_tooltip()
            self._set_titles()

    def _update_log_tooltip(self) -> None:
        tip = self.tr(
            "Draw losses and gradient norms on a logarithmic y axis, so that changes over "
            "several orders of magnitude stay visible. A plot with values of zero or below "
            "stays linear."
        )
        reasons = []
        if self._log_refused["losses"]:
            reasons.append(
                self.tr(
                    "The losses plot stays linear now: this loss has values of zero or "
                    "below, which have no logarithm."
                )
            )
        if self._log_refused["grad_norms"]:
            reasons.append(
                self.tr("The gradient norms plot stays linear now: some norms are zero.")
            )
        self._log_check.setToolTip("\n\n".join([tip, *reasons]))

    def _set_titles(self) -> None:
        linear = self.tr(" (linear scale: some values ≤ 0)")
        titles = {
            "losses": self.tr("Losses"),
            "outputs": self.tr("D's outputs")
            if self._output_kind == "probability"
            else self.tr("Critic scores"),
            "grad_norms": self.tr("Gradient norms"),
            "learning_rates": self.tr("Learning rates"),
        }
        size = f"{style.font(1.0).pointSizeF():.1f}pt"
        for name, title in titles.items():
            if self._log_check.isChecked() and self._log_refused.get(name, False):
                title += linear
            self._plots[name].setTitle(html.escape(title), size=size, bold=True)
            self._layout_header(name)

    def _layout_header(self, name: str) -> None:
        """Fit the title and the legend in the band above the curves, without overlap.

        The legend sits right of the title when both fit on one line; otherwise it goes
        under the title, with as many columns as the width allows. The band grows to hold
        it (``setTitle`` resets it to 30 px), so no legend entry covers a curve or a title.
        """
        plot = self._plots[name]
        if plot.legend is None or not plot.titleLabel.isVisible():
            return
        style.place_header_legend(plot)
        self._fit_min_height(name)
        if name == "losses" and any(line.isVisible() for line in self._marker_lines["losses"]):
            self._place_marker_labels()  # their room in pixels changed
        # A vertical axis title longer than the plot is high would run into its neighbours:
        # it hides (the plot's own title still names the quantity).
        axis = plot.getAxis("left")
        if axis.labelText:
            fits = axis.label.boundingRect().width() <= plot.getViewBox().height() + 4.0
            if fits != axis.label.isVisible():
                axis.showLabel(fits)

    def _fit_min_height(self, name: str) -> None:
        """Soon (not from inside the plot's own resize, where this is called from its
        geometryChanged: a nested resize left the plot at its old height under a grey
        strip), set the plot's minimum height; see :meth:`_min_height`."""
        if self._min_height(name) != self._widgets[name].minimumHeight():
            QTimer.singleShot(0, partial(self._apply_min_height, name))

    def _min_height(self, name: str) -> int:
        """The plot's title band, ``VIEW_MIN_HEIGHT`` of data and its x axis: a short
        dock scrolls the plots rather than squashing one."""
        plot = self._plots[name]
        factor = style.presentation_factor()
        band = plot.layout.rowMinimumHeight(0)
        bottom = plot.getAxis("bottom")
        axis = bottom.height() if bottom.isVisible() else 0.0
        wanted = round(band + VIEW_MIN_HEIGHT * factor + axis + 8)
        return max(wanted, round(PLOT_MIN_HEIGHT * factor))

    def _apply_min_height(self, name: str) -> None:
        wanted = self._min_height(name)
        if self._widgets[name].minimumHeight() != wanted:
            self._widgets[name].setMinimumHeight(wanted)

    def _set_legend_name(self, item: pg.PlotDataItem, name: str) -> None:
        legend = self._plots_of(item).legend
        label = legend.getLabel(item)
        if label is not None:
            label.setText(html.escape(name))

    def _plots_of(self, item: pg.PlotDataItem) -> pg.PlotItem:
        for plot in self._plots.values():
            if item in plot.items:
                return plot
        raise KeyError(item)

    def _all_curves(self) -> list[_Curve]:
        return [*self._curves.values(), *self._layer_curves["d"], *self._layer_curves["g"]]

    def _redraw(self) -> None:
        """Draw the last data again after a view setting changed.

        The held arrays are views of ring buffers that may have moved since, so the
        caches are dropped afterwards: the next ``set_data`` recomputes from fresh views.
        """
        if len(self._steps):
            self._layers_pending.update(self._layers)
            self.set_data(self._steps, self._series)
        for curve in self._all_curves():
            curve.cache.reset()

    def _show_smoothing_value(self) -> None:
        self._smoothing_value.setText(f"{self._alpha:.2f}")

    # -- handlers ----------------------------------------------------------------------

    def _on_smoothing_slider_changed(self, value: int) -> None:
        self._alpha = value / _SLIDER_STEPS
        self._show_smoothing_value()
        self._redraw()
        self.smoothing_changed.emit(self._alpha)

    def _on_log_check_toggled(self, on: bool) -> None:
        self._update_log_modes()
        self._set_titles()
        self.log_scale_changed.emit(on)

    def _on_per_layer_check_toggled(self, on: bool) -> None:
        self._sync_layer_legend()
        self._redraw()
        self.per_layer_changed.emit(on)
