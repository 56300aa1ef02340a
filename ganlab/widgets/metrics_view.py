"""The metrics panel: how close G is to the data, over training. GUI thread; no torch.

Plots against steps, x-linked: the divergence (JSD on the grid with the lower bound
the discriminator implies, and the ln 2 ceiling), mode coverage for mixtures of gaussians
(modes captured out of K, % high-quality samples), the 1-D Wasserstein distance, for
pix2pix L1 and PSNR on held-out pairs beside the identity and mean-image baselines, and
for CycleGAN the held-out cycle error and the share of translations in the target domain.
The losses say little about sample quality (the stopping problem); these do. Plots
without data (no modes for a spiral, no W1 in 2-D) are hidden.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ganlab.widgets import style
from ganlab.widgets.step_cursor import StepCursor

TEXT_MARGIN = 8  # pixels left and right of the read-outs: more than a highlight frame


class MetricsPanel(QWidget):
    """Quality metrics over training steps."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._widgets: dict[str, pg.PlotWidget] = {}
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._cursor = StepCursor()  # the timeline's (set_cursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self._hint = QLabel(self.tr("Metrics appear once training runs (toy data sets)."))
        self._hint.setWordWrap(True)
        self._hint.setFont(style.font(0.95))
        layout.addWidget(self._hint)
        self._build_plot("divergence", self.tr("Divergence from the data"), self.tr("nats"), layout)
        # The latest divergences, each beside its noise floor (two real samples).
        self._divergence_label = QLabel()
        self._divergence_label.setWordWrap(True)
        # Clear of the plots' edge and of a lesson's highlight frame (5 px) drawn over
        # the dock, which hid the first letter of every line.
        self._divergence_label.setContentsMargins(TEXT_MARGIN, 0, TEXT_MARGIN, 0)
        self._divergence_label.setFont(style.font(0.95))
        self._divergence_label.setToolTip(
            self.tr(
                "Each floor is what the same estimate gives for a second sample of the data "
                "itself, with as many samples on the same grid: a value at its floor cannot "
                "be told apart from the data, and only the part above it is progress."
            )
        )
        layout.addWidget(self._divergence_label)
        self._build_plot("modes", self.tr("Mode coverage"), self.tr("modes"), layout)
        self._build_plot("quality", self.tr("High-quality samples"), self.tr("%"), layout)
        self._build_plot("w1", self.tr("Wasserstein-1 distance"), self.tr("distance"), layout)
        # Image-to-image (pix2pix): G on the held-out pairs beside two baselines; the two
        # are measured together and share an axis of their own (linked to a hidden toy
        # plot, theirs would not follow).
        self._build_plot(
            "held_l1",
            self.tr("L1 to the target (held-out pairs)"),
            self.tr("L1"),
            layout,
            link=None,
        )
        self._build_plot(
            "psnr", self.tr("PSNR (held-out pairs)"), self.tr("dB"), layout, link="held_l1"
        )
        # CycleGAN (image-to-image): held-out cycle error, translations in the target
        # domain; linked with each other only (the toy plots are hidden then).
        self._build_plot(
            "cycle",
            self.tr("Cycle error on held-out images"),
            self.tr("mean |error|"),
            layout,
            link=None,
        )
        self._build_plot(
            "target",
            self.tr("Translations judged in the target domain"),
            self.tr("%"),
            layout,
            link="cycle",
        )
        self._build_plot("image", self.tr("FID (lower is better)"), self.tr("FID"), layout)
        self._image_label = QLabel()
        self._image_label.setWordWrap(True)
        self._image_label.setContentsMargins(TEXT_MARGIN, 0, TEXT_MARGIN, 0)
        self._image_label.setFont(style.font(0.95))
        self._image_label.setToolTip(
            self.tr(
                "Image metrics from 'Evaluate now'. Inception-v3 numbers are comparable with "
                "published ones; numbers in the offline classifier's feature space are only "
                "comparable with each other."
            )
        )
        layout.addWidget(self._image_label)
        self._add_curve("divergence", "jsd", style.FAKE, self.tr("JSD (grid)"), width=2)
        self._add_curve(
            "divergence", "d_bound", style.D_COLOR, self.tr("lower bound from D"), dash=True
        )
        self._add_curve(
            "divergence", "jsd_floor", style.NEUTRAL, self.tr("JSD floor (data vs data)"), dash=True
        )
        self._ln2 = pg.InfiniteLine(
            pos=math.log(2),
            angle=0,
            pen=pg.mkPen(style.NEUTRAL, width=1, style=Qt.PenStyle.DotLine),
        )
        self._plots["divergence"].addItem(self._ln2, ignoreBounds=True)
        self._add_curve(
            "modes", "modes_captured", style.G_COLOR, self.tr("modes captured"), width=2
        )
        self._modes_total = pg.InfiniteLine(
            angle=0, pen=pg.mkPen(style.REAL, width=1, style=Qt.PenStyle.DashLine)
        )
        self._plots["modes"].addItem(self._modes_total, ignoreBounds=True)
        self._add_curve(
            "quality", "high_quality", style.REAL, self.tr("within 3σ of a mode"), width=2
        )
        self._add_curve("w1", "w1", style.FAKE, self.tr("W1(real, generated)"), width=2)
        for plot, unit in (("held_l1", "l1"), ("psnr", "psnr")):
            main = "l1_held_out" if unit == "l1" else "psnr"
            self._add_curve(plot, main, style.G_COLOR, self.tr("G(input)"), width=2)
            self._add_curve(
                plot, f"{unit}_identity", style.NEUTRAL, self.tr("input as output"), dash=True
            )
            self._add_curve(plot, f"{unit}_mean", style.REAL, self.tr("mean target"), dash=True)
        self._add_curve("image", "fid", style.FAKE, self.tr("FID"), width=2)
        self._add_curve("cycle", "cycle_error_a", style.D_COLOR, self.tr("|F(G(A)) − A|"), width=2)
        self._add_curve("cycle", "cycle_error_b", style.G_COLOR, self.tr("|G(F(B)) − B|"), width=2)
        self._add_curve("target", "target_share_ab", style.D_COLOR, self.tr("G(A) judged B"))
        self._add_curve("target", "target_share_ba", style.G_COLOR, self.tr("F(B) judged A"))
        self._add_curve(
            "target", "real_share", style.REAL, self.tr("real images (ceiling)"), dash=True
        )
        self.setToolTip(
            self.tr(
                "How close the generator is to the data, measured on 2,500 fresh samples about "
                "once a second. JSD is 0 for a perfect generator and ln 2 ≈ 0.69 for one that "
                "misses the data entirely; D's bound lies below it for any D and meets it only "
                "for the optimal D."
            )
        )
        self.clear()

    @property
    def _plots(self) -> dict[str, pg.PlotItem]:
        return {name: w.getPlotItem() for name, w in self._widgets.items()}

    def _build_plot(
        self, name: str, title: str, unit: str, layout: QVBoxLayout, link: str | None = ""
    ) -> None:
        widget = pg.PlotWidget()
        plot = widget.getPlotItem()
        plot.setTitle(title)
        plot.setLabel("left", unit)
        # In the title band above the data: over the data a legend hid the curves.
        plot.addLegend(offset=(-8, 4))
        plot.geometryChanged.connect(lambda plot=plot: style.place_header_legend(plot))
        style.style_plot(plot)
        plot.getAxis("left").enableAutoSIPrefix(False)
        plot.getAxis("bottom").enableAutoSIPrefix(False)
        # The toy plots share their step axis; image evaluations are sparse (one per
        # click) and keep their own, or a hidden toy plot's range would hide them.
        # ``link``: "" = the first plot's, None = none, else that plot's.
        if link is not None and self._widgets and name != "image":
            target = self._widgets[link] if link else next(iter(self._widgets.values()))
            plot.setXLink(target.getPlotItem())
        self._widgets[name] = widget
        layout.addWidget(widget, 1)

    def _add_curve(
        self, plot: str, key: str, color: str, label: str, width: float = 1.5, dash: bool = False
    ) -> None:
        pen = pg.mkPen(
            color, width=width, style=Qt.PenStyle.DashLine if dash else Qt.PenStyle.SolidLine
        )
        item = pg.PlotDataItem(
            pen=pen, name=label, symbol="o", symbolSize=4, symbolBrush=color, symbolPen=None
        )
        self._widgets[plot].getPlotItem().addItem(item)
        self._curves[key] = item
        style.place_header_legend(self._widgets[plot].getPlotItem())

    def plot_widgets(self) -> dict[str, pg.PlotWidget]:
        return dict(self._widgets)

    def set_cursor(self, step: int | None) -> None:
        """A vertical line at ``step`` on every plot (the step the timeline shows), as
        the Curves panel draws it; None hides it."""
        plots = {name: widget.getPlotItem() for name, widget in self._widgets.items()}
        self._cursor.set(plots, step)

    def cursor(self) -> float | None:
        """The step the cursor marks, or None when it is hidden."""
        return self._cursor.value()

    def set_metrics(self, steps: np.ndarray, values: dict[str, np.ndarray]) -> None:
        """Show the metric history: ``steps`` (n,) and metric name -> (n,) arrays.

        Known names: jsd, d_bound, modes_captured, num_modes, high_quality (fraction), w1,
        CycleGAN's cycle_error_a / cycle_error_b and target_share_ab / target_share_ba /
        real_share (fractions),
        and jsd / kl_real_fake / kl_fake_real / tv with their ``*_floor``, whose latest
        values are written out as "JSD 0.043 (floor 0.012)"; image-to-image:
        l1_held_out and psnr with their baselines l1_identity, psnr_identity, l1_mean,
        psnr_mean. Missing names hide their curve; plots with no visible curve are
        hidden.
        """
        steps = np.asarray(steps, dtype=float)
        shown: set[str] = set()
        for key, item in self._curves.items():
            if key == "fid":
                continue  # image metrics: set_image_metrics
            column = values.get(key)
            if column is None or len(column) != len(steps):
                item.setData([], [])
                item.setVisible(False)
                continue
            y = np.asarray(column, dtype=float)
            if key in _PERCENT:
                y = 100.0 * y
            finite = np.isfinite(y)
            item.setData(steps[finite], y[finite])
            item.setVisible(True)
            shown.add(key)
        total = values.get("num_modes")
        if total is not None and len(total):
            self._modes_total.setValue(float(total[-1]))
        visible = {
            "divergence": bool(shown & {"jsd", "d_bound"}),
            "modes": "modes_captured" in shown,
            "quality": "high_quality" in shown,
            "w1": "w1" in shown,
            "held_l1": "l1_held_out" in shown,
            "psnr": "psnr" in shown,
            "cycle": bool(shown & {"cycle_error_a", "cycle_error_b"}),
            "target": bool(shown & {"target_share_ab", "target_share_ba"}),
        }
        for name, show in visible.items():
            self._widgets[name].setVisible(show)
        readout = self._divergence_readout(values)
        self._divergence_label.setText(readout)
        self._divergence_label.setVisible(bool(readout) and visible["divergence"])
        image = self._widgets.get("image")
        self._hint.setVisible(not any(visible.values()) and not (image and image.isVisible()))

    def _divergence_readout(self, values: dict[str, np.ndarray]) -> str:
        names = {
            "jsd": self.tr("JSD"),
            "kl_real_fake": self.tr("KL(data‖G)"),
            "kl_fake_real": self.tr("KL(G‖data)"),
            "tv": self.tr("TV"),
        }
        parts = []
        for key, label in names.items():
            value = _last(values.get(key))
            if not math.isfinite(value):
                continue
            floor = _last(values.get(f"{key}_floor"))
            if math.isfinite(floor):
                parts.append(
                    self.tr("{name} {value} (floor {floor})").format(
                        name=label, value=f"{value:.3g}", floor=f"{floor:.3g}"
                    )
                )
            else:
                parts.append(f"{label} {value:.3g}")
        return " · ".join(parts)

    def set_image_metrics(self, results: list[dict]) -> None:
        """Show the 'Evaluate now' history: dicts with step, feature_space and values."""
        steps = np.array([r["step"] for r in results], dtype=float)
        fid = np.array([_fid_of(r) for r in results], dtype=float)
        item = self._curves["fid"]
        finite = np.isfinite(fid)
        item.setData(steps[finite], fid[finite])
        item.setVisible(bool(finite.any()))
        self._widgets["image"].setVisible(bool(results))
        if results:
            last = results[-1]
            parts = [
                f"{k} = {v:.4g}" for k, v in last.items() if isinstance(v, float) and k != "step"
            ]
            lines = [
                self.tr("step {step}, {space}: {values}").format(
                    step=last["step"], space=last.get("feature_space", "?"), values=", ".join(parts)
                )
            ]
            sample = self.sample_text(last)
            if sample:
                lines.append(sample)
            lines += [self.tr("Note: {note}").format(note=n) for n in last.get("notes", ())]
            self._image_label.setText("\n".join(lines))
            self._hint.setVisible(False)
        self._image_label.setVisible(bool(results))

    def sample_text(self, result: dict) -> str:
        """What an 'Evaluate now' result was computed on, in one translated line.

        Reads ``n_real``, ``n_fake``, ``kid_subset_size`` and ``kid_subsets`` (ints, or
        None / absent); returns "" for a result without them.
        """
        n_real, n_fake = result.get("n_real"), result.get("n_fake")
        if n_fake is None:
            return ""
        if n_real is None:
            text = self.tr("N = {fake} generated images, each used once").format(fake=n_fake)
        else:
            text = self.tr("N = {real} real and {fake} generated images, each used once").format(
                real=n_real, fake=n_fake
            )
        size, count = result.get("kid_subset_size"), result.get("kid_subsets")
        if size is not None and count is not None:
            text += self.tr("; KID subset size {size}, subsets: {count}").format(
                size=size, count=count
            )
        return text

    def clear(self) -> None:
        """Forget the history (a new segment)."""
        self.set_metrics(np.empty(0), {})
        self.set_image_metrics([])


# Fractions the plots show in per cent.
_PERCENT = frozenset({"high_quality", "target_share_ab", "target_share_ba", "real_share"})


def _last(column: np.ndarray | None) -> float:
    """The newest finite entry of a metric column, or NaN."""
    if column is None or not len(column):
        return math.nan
    y = np.asarray(column, dtype=float)
    finite = y[np.isfinite(y)]
    return float(finite[-1]) if finite.size else math.nan


def _fid_of(result: dict) -> float:
    """The FID of a result, whichever feature space produced it (NaN if none)."""
    for key in ("frechet_inception_distance", "classifier_fid", "fid"):
        if key in result:
            return float(result[key])
    return float("nan")
