"""The 1-D view of a toy experiment: p_data, p_g, D(x) and the optimal D*(x). GUI thread; no torch.

Owns one plot with two y axes. Left: the real density p_data (exact curve, or a histogram
of the samples) and the generated density p_g (the KDE the trainer sends, or a histogram
of the fixed fake batch), with the fake samples as rug ticks under the curves. Right: the
learned D(x), the optimal discriminator D*(x) = p_data / (p_data + p_g) computed here, and
the equilibrium line D = 1/2. For score losses (WGAN, hinge...) D is a critic score: the
right axis follows its range and D*, which only exists for probability losses, is hidden.
The kind can change live with the loss (:meth:`DensityPanel.set_output_kind`).

Plot items are created once; the setters only call ``setData`` / ``setVisible``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ganlab.widgets import style

if TYPE_CHECKING:
    from ganlab.kernel import reports as rep

OUTPUT_KINDS: tuple[str, ...] = ("probability", "score")
RUG_BAND = 0.08  # the rug ticks use this fraction of the density axis, below zero
EMPTY_FLOOR = 1e-3  # D* is left undefined where p_data + p_g is below this share of its peak


def optimal_discriminator(
    p_data: np.ndarray, p_g: np.ndarray, rel_floor: float = EMPTY_FLOOR
) -> np.ndarray:
    """D*(x) = p_data / (p_data + p_g), NaN where both densities are about zero.

    Parameters
    ----------
    p_data, p_g : (G,) arrays
        Densities on the same grid.
    rel_floor : float
        Where p_data + p_g is below ``rel_floor`` times its maximum, D* is NaN: a gap in
        the curve rather than 0/0.
    """
    p = np.clip(np.asarray(p_data, dtype=float), 0.0, None)
    q = np.clip(np.asarray(p_g, dtype=float), 0.0, None)
    total = p + q
    finite = np.isfinite(total)
    peak = float(total[finite].max()) if finite.any() else 0.0
    defined = finite & (total > rel_floor * peak) & (total > 0.0)
    out = np.full(total.shape, np.nan)
    np.divide(p, total, out=out, where=defined)
    return out


def histogram_density(samples: np.ndarray, grid_x: np.ndarray, bins: int | None = None):
    """Normalised histogram of ``samples`` over the grid's range.

    Returns
    -------
    edges : (B + 1,) array
    heights : (B,) array, integrating to the share of samples inside the range
    on_grid : (G,) array, the histogram's height at each grid point
    """
    samples = np.asarray(samples, dtype=float).ravel()
    samples = samples[np.isfinite(samples)]
    lo, hi = float(grid_x[0]), float(grid_x[-1])
    if bins is None:
        bins = int(np.clip(np.sqrt(max(len(samples), 1)) * 2, 10, 60))
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(samples, bins=edges)
    width = (hi - lo) / bins
    heights = counts / (max(len(samples), 1) * width)
    index = np.clip(((np.asarray(grid_x) - lo) / width).astype(int), 0, bins - 1)
    return edges, heights, heights[index]


class _DensityAxis(pg.AxisItem):
    """Left axis without negative ticks: the band below 0 holds the rug, not densities."""

    def tickValues(self, min_val, max_val, size):  # noqa: N802 (pyqtgraph name)
        levels = super().tickValues(min_val, max_val, size)
        return [
            (spacing, [v for v in values if v >= -1e-9 * spacing]) for spacing, values in levels
        ]


class DensityPanel(QWidget):
    """1-D view: real and generated densities, learned D(x) and optimal D*(x)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid_x = np.linspace(-1.0, 1.0, 2)
        self._output_kind = "probability"
        self._p_data: np.ndarray | None = None  # p_data on the grid (exact or histogram)
        self._p_g: np.ndarray | None = None
        self._real_peak = 0.0
        self._fake = np.empty(0)  # the fixed fake batch, for the rug
        self._build_plot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.graphics)
        self.configure(self._grid_x, "probability")

    def _build_plot(self) -> None:
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot(
            row=0, col=0, axisItems={"left": _DensityAxis(orientation="left")}
        )
        style.style_plot(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setLabel("bottom", self.tr("x"))
        self.plot.setLabel("left", self.tr("density"))
        # A density of 0.8 must read 0.8, not "800 (x0.001)".
        self.plot.getAxis("left").enableAutoSIPrefix(False)
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.density_box = self.plot.getViewBox()
        self.density_box.setMouseEnabled(x=True, y=False)

        # D lives on its own ViewBox, x-linked to the densities, read on the right axis.
        self.d_box = pg.ViewBox()
        self.d_box.setMouseEnabled(x=False, y=False)
        self.d_box.setMenuEnabled(False)
        self.plot.showAxis("right")
        self.plot.scene().addItem(self.d_box)
        right = self.plot.getAxis("right")
        right.linkToView(self.d_box)
        right.setTickFont(style.font(0.9))
        right.label.setFont(style.font(1.0))
        right.setPen(pg.mkPen("#333333", width=1))
        right.setTextPen(pg.mkPen(style.D_COLOR))
        self.d_box.setXLink(self.plot)
        self.density_box.sigResized.connect(self._on_density_box_resized)

        # One item per density: a curve (exact / KDE) or, when only samples are known, a
        # histogram drawn with stepMode="center" on the same item.
        self.real_curve = pg.PlotDataItem(
            pen=pg.mkPen(style.REAL, width=3), fillLevel=0.0, fillBrush=style.color(style.REAL, 45)
        )
        self.fake_curve = pg.PlotDataItem(
            pen=pg.mkPen(style.FAKE, width=3), fillLevel=0.0, fillBrush=style.color(style.FAKE, 45)
        )
        self.rug_item = pg.PlotDataItem(
            pen=pg.mkPen(style.color(style.FAKE, 150), width=1.2), connect="pairs"
        )
        for item in (self.real_curve, self.fake_curve, self.rug_item):
            self.plot.addItem(item)

        self.half_line = pg.PlotDataItem(
            pen=pg.mkPen(style.NEUTRAL, width=2, style=Qt.PenStyle.DotLine)
        )
        self.d_star_curve = pg.PlotDataItem(
            pen=pg.mkPen("#000000", width=2.5, style=Qt.PenStyle.DashLine), connect="finite"
        )
        self.d_curve = pg.PlotDataItem(pen=pg.mkPen(style.D_COLOR, width=3.5))
        for item in (self.half_line, self.d_star_curve, self.d_curve):
            self.d_box.addItem(item)

        self.legend = pg.LegendItem(
            colCount=2,
            labelTextSize=f"{style.font(0.95).pointSizeF():.0f}pt",
            labelTextColor="#111111",
            frame=False,
        )
        self.graphics.addItem(self.legend, row=1, col=0)

    # ------------------------------------------------------------------ public API

    def configure(self, grid_x: np.ndarray, output_kind: str) -> None:
        """Set up the view for a new segment.

        Parameters
        ----------
        grid_x : (G,) array
            The grid on which densities and D's field are given.
        output_kind : {"probability", "score"}
            How to read D's output; see :meth:`set_output_kind`.

        Does not empty the curves; call :meth:`clear` for that.
        """
        _check_output_kind(output_kind)
        grid_x = np.asarray(grid_x, dtype=float).ravel()
        if grid_x.size < 2:
            raise ValueError("grid_x needs at least two points")
        self._grid_x = grid_x
        self._output_kind = output_kind
        self.half_line.setData([grid_x[0], grid_x[-1]], [0.5, 0.5])
        self.density_box.setXRange(grid_x[0], grid_x[-1], padding=0.0)
        self._apply_output_kind()
        self._update_ranges()

    def set_output_kind(self, kind: str) -> None:
        """Say what D's output is, live (a loss switch), keeping every curve shown.

        Parameters
        ----------
        kind : {"probability", "score"}
            "probability": D and D* on a right axis fixed to [0, 1] with the line D = ½
            (can't tell). "score": D is a critic score on a right axis that follows its
            range; D* and the line D = ½ do not apply and are hidden.

        Raises
        ------
        ValueError
            For any other kind. Calling it again with the current kind changes nothing.
        """
        _check_output_kind(kind)
        if kind == self._output_kind:
            return
        self._output_kind = kind
        self._apply_output_kind()

    def output_kind(self) -> str:
        """How the panel reads D's output now: "probability" or "score"."""
        return self._output_kind

    def set_real(self, samples: np.ndarray, density: np.ndarray | None = None) -> None:
        """Show the real distribution.

        Parameters
        ----------
        samples : (N, 1) or (N,) array
            Real samples; used for a histogram when ``density`` is None.
        density : (G,) array or None
            The exact p_data on the grid.
        """
        self._p_data = self._show_density(self.real_curve, samples, density, "density")
        finite = self._p_data[np.isfinite(self._p_data)] if self._p_data is not None else []
        self._real_peak = float(np.max(finite)) if len(finite) else 0.0
        self._update_ranges()
        self._update_d_star()

    def set_snapshot(
        self, fake: np.ndarray, fake_density: np.ndarray | None, field: np.ndarray
    ) -> None:
        """Update G's distribution and D's output.

        Parameters
        ----------
        fake : (N, 1) or (N,) array
            G(z) for the fixed noise batch (drawn as rug ticks; row i is always the same z).
        fake_density : (G,) array or None
            A KDE of p_g on the grid; None uses a normalised histogram of ``fake``.
        field : (G,) array
            D's output on the grid: a probability, or a critic score for score losses.
        """
        fake = np.asarray(fake, dtype=float).ravel()
        self._p_g = self._show_density(self.fake_curve, fake, fake_density, "fake_density")

        if field is None or np.size(field) == 0:
            self.d_curve.setData([], [])
        else:
            field = np.asarray(field, dtype=float).ravel()
            self._check_grid(field, "field")
            self.d_curve.setData(self._grid_x, field)
        self._fake = fake
        self._update_ranges()
        self._update_d_star()

    def d_star(self) -> np.ndarray | None:
        """The D*(x) currently drawn, on the grid (None when a density is missing)."""
        if self._p_data is None or self._p_g is None:
            return None
        return optimal_discriminator(self._p_data, self._p_g)

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------

    def show_segment(self, info: rep.SegmentStarted, family: Any) -> None:
        """A new segment: empty, then set up for its grid and D's unit."""
        self.clear()
        self.configure(info.grid_axes[0], info.output_kind)

    def show_real(self, info: rep.SegmentStarted) -> None:
        self.set_real(info.real, info.real_density)

    def show_snapshot(self, snapshot: Any) -> None:
        self.set_snapshot(snapshot.fake, snapshot.fake_density, snapshot.field)

    def show_answer(self, answer: Any) -> None:
        """No requests of its own: nothing to show."""

    def clear(self) -> None:
        """Empty every curve and the rug."""
        self._p_data = None
        self._p_g = None
        self._real_peak = 0.0
        self._fake = np.empty(0)
        for item in (self.real_curve, self.fake_curve):
            item.setData([], [], stepMode=None)
        for item in (self.rug_item, self.d_curve, self.d_star_curve):
            item.setData([], [])
        self._update_ranges()

    # ------------------------------------------------------------------ internals

    def _show_density(
        self, item: pg.PlotDataItem, samples: np.ndarray, density: np.ndarray | None, name: str
    ) -> np.ndarray | None:
        """Draw ``density`` as a curve, else a histogram of ``samples``; return it on the grid."""
        if density is not None:
            density = np.asarray(density, dtype=float).ravel()
            self._check_grid(density, name)
            item.setData(self._grid_x, density, stepMode=None)
            return density
        if np.size(samples):
            edges, heights, on_grid = histogram_density(samples, self._grid_x)
            item.setData(edges, heights, stepMode="center")
            return on_grid
        item.setData([], [], stepMode=None)
        return None

    def _check_grid(self, values: np.ndarray, name: str) -> None:
        if values.shape != self._grid_x.shape:
            raise ValueError(f"{name} has shape {values.shape}, the grid {self._grid_x.shape}")

    def _density_peak(self) -> float:
        peak = self._real_peak
        if self._p_g is not None:
            finite = self._p_g[np.isfinite(self._p_g)]
            if finite.size:
                peak = max(peak, float(finite.max()))
        return peak if peak > 0.0 else 1.0

    def _update_ranges(self) -> None:
        """Density axis from 0 to the peak, with a band below zero for the rug ticks."""
        top = 1.08 * self._density_peak()
        band = RUG_BAND / (1 - RUG_BAND) * top
        self.density_box.setYRange(-band, top, padding=0.0)
        if self._fake.size:
            x = np.repeat(self._fake, 2)
            y = np.tile([-0.9 * band, -0.15 * band], self._fake.size)
            self.rug_item.setData(x, y)
        else:
            self.rug_item.setData([], [])

    def _update_d_star(self) -> None:
        d_star = self.d_star()
        if d_star is None or self._output_kind != "probability":
            self.d_star_curve.setData([], [])
        else:
            self.d_star_curve.setData(self._grid_x, d_star)

    def _apply_output_kind(self) -> None:
        """Axis, reference line, D*, legend and tooltips for the current output kind."""
        probability = self._output_kind == "probability"
        self.half_line.setVisible(probability)
        self.d_star_curve.setVisible(probability)
        right = self.plot.getAxis("right")
        if probability:
            self.d_box.disableAutoRange()
            # D = 0 sits level with density 0, above the rug band (same share of height).
            below = RUG_BAND / (1 - RUG_BAND) * 1.05
            self.d_box.setYRange(-below, 1.05, padding=0.0)
            right.setLabel(self.tr("D(x): 1 = real, ½ = can't tell, 0 = fake"))
            right.setToolTip(
                self.tr("The discriminator's probability that x is real, and the optimal D*.")
            )
            self.graphics.setToolTip(
                self.tr(
                    "Green: the real data's density. Purple: the generator's density, with "
                    "its samples as ticks along the bottom. Orange: the discriminator's "
                    "probability that x is real (right axis). Dashed: the best possible "
                    "discriminator for the current generator, D* = p_data / (p_data + p_g). "
                    "Dotted: D = ½, can't tell."
                )
            )
        else:
            self.d_box.enableAutoRange(axis=pg.ViewBox.YAxis)
            right.setLabel(self.tr("critic score: higher = judged more real"))
            right.setToolTip(
                self.tr(
                    "With this loss D is a critic that gives a score, not a probability, so "
                    "the optimal D* = p_data / (p_data + p_g) and the line D = ½ do not apply."
                )
            )
            self.graphics.setToolTip(
                self.tr(
                    "Green: the real data's density. Purple: the generator's density, with "
                    "its samples as ticks along the bottom. Orange: the critic's score of "
                    "each x (right axis): higher means judged more real. A score is not a "
                    "probability, so there is no D* and no 'can't tell' line."
                )
            )
        right.label.setFont(style.font(1.0))
        right.resizeEvent()  # pyqtgraph places a label only on resize: centre the new text
        self._rebuild_legend()
        self._update_d_star()

    def _rebuild_legend(self) -> None:
        self.legend.clear()
        self.legend.addItem(self.real_curve, self.tr("p_data: real density"))
        self.legend.addItem(self.fake_curve, self.tr("p_g: generated density"))
        if self._output_kind == "probability":
            self.legend.addItem(self.d_curve, self.tr("D(x): probability that x is real"))
            self.legend.addItem(self.d_star_curve, self.tr("D*(x) = p_data / (p_data + p_g)"))
            self.legend.addItem(self.half_line, self.tr("D = ½: equilibrium"))
        else:
            self.legend.addItem(
                self.d_curve, self.tr("D(x): critic score (no D*: not a probability)")
            )
        self.legend.addItem(self.rug_item, self.tr("generated samples (ticks)"))
        # The legend sizes itself at the scene's origin; put it back in its row now,
        # not at the next event-loop turn (a live switch would flash it over the plot).
        self.graphics.ci.layout.activate()

    def _on_density_box_resized(self) -> None:
        self.d_box.setGeometry(self.density_box.sceneBoundingRect())
        self.d_box.linkedViewChanged(self.density_box, self.d_box.XAxis)


def _check_output_kind(kind: str) -> None:
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"output kind must be 'probability' or 'score', not {kind!r}")
