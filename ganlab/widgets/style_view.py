"""The style panel: what a StyleGAN-lite run shows. GUI thread; no torch.

Owns three views, each drawn from the numpy arrays of the ``stylegan`` family's
``PanelSnapshot`` / ``PanelAnswer`` (documented in ``ganlab.models.stylegan.Views``):

- the grid of images generated from the fixed noise batch;
- the style-mixing grid: the top row holds the column sources (their fine styles), the
  left column the row sources (their coarse styles), each other cell one row's coarse
  styles with one column's fine styles; a selector picks the crossover layer;
- two interpolation rows between the same two images: a path in z and a path in w, with
  the pixel path lengths of both;

and a truncation slider ψ. Changing ψ or the crossover emits ``panel_requested`` (the
window sends it to the trainer as ``RequestPanel``, also while paused), and the answer
redraws what it asked for. ψ starts at 1: the grid then shows what G really samples
(what FID measures); moving it down shows the truncation trick trade variety for
typical-looking images.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style
from ganlab.widgets.flow_layout import FlowLayout
from ganlab.widgets.image_view import SEPARATOR_FILL, _ImageGrid, image_plot, tile_images

PSI_STEPS = 100  # slider positions per unit of ψ
INTERP_ROWS = 2  # z, then w
HEADER_GAP = 6  # extra blank pixels between the mixing grid's headers and its cells


def mixing_canvas(
    rows: np.ndarray, cols: np.ndarray, grid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The mixing grid with its headers as one batch and its cell layout.

    ``rows`` (R, H, W, C), ``cols`` (K, H, W, C), ``grid`` (R * K, H, W, C) row-major.
    Returns ``(images, cells)``: images stacked rows, cols, grid; cells (R + 1, K + 1)
    indices into them with -1 (blank) at the top-left corner.
    """
    r, k = len(rows), len(cols)
    if len(grid) != r * k:
        raise ValueError(f"mixing grid has {len(grid)} images, expected {r} x {k}")
    cells = np.full((r + 1, k + 1), -1, dtype=np.int64)
    cells[0, 1:] = r + np.arange(k)
    cells[1:, 0] = np.arange(r)
    cells[1:, 1:] = (r + k + np.arange(r * k)).reshape(r, k)
    return np.concatenate([rows, cols, grid]), cells


def header_gap(tiled: np.ndarray, tile_shape: tuple[int, int], gap: int = HEADER_GAP) -> np.ndarray:
    """``tiled`` (a :func:`tile_images` canvas) with ``gap`` more blank pixels after its
    first row and first column of tiles, which sets the headers apart from the grid."""
    h, w = tile_shape
    rows = np.full((gap, *tiled.shape[1:]), SEPARATOR_FILL, tiled.dtype)
    tiled = np.concatenate([tiled[:h], rows, tiled[h:]], axis=0)
    cols = np.full((tiled.shape[0], gap, *tiled.shape[2:]), SEPARATOR_FILL, tiled.dtype)
    return np.concatenate([tiled[:, :w], cols, tiled[:, w:]], axis=1)


class StylePanel(QWidget):
    """The ``style`` data panel (see the module docstring); a ``DataPanel``."""

    panel_requested = Signal(str, object)  # what, params

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.samples_widget, samples_item = image_plot(self.tr("Generated (fixed z)"))
        self.samples = _ImageGrid(self.samples_widget, samples_item)
        self.mixing_widget, self.mixing_item = image_plot(self.tr("Style mixing"))
        self.interp_widget, interp_item = image_plot(self.tr("Interpolation: z vs w"))
        self.interp = _ImageGrid(self.interp_widget, interp_item)
        top = QHBoxLayout()
        top.addWidget(self.samples_widget, 1)
        top.addWidget(self.mixing_widget, 1)
        layout.addLayout(top, 5)
        self.mixing_label = QLabel()
        self.mixing_label.setWordWrap(True)
        self.mixing_label.setFont(style.font(0.95))
        layout.addWidget(self.mixing_label)

        # ψ and the crossover: side by side, or one under the other on a narrow panel
        controls = QWidget()
        flow = FlowLayout(controls)
        psi_group = QWidget()
        psi_column = QVBoxLayout(psi_group)
        psi_column.setContentsMargins(0, 0, 8, 0)
        psi_column.setSpacing(0)
        self.psi_label = QLabel()
        self.psi_slider = QSlider(Qt.Orientation.Horizontal)
        self.psi_slider.setRange(0, PSI_STEPS)
        self.psi_slider.setValue(PSI_STEPS)
        self.psi_slider.setMinimumWidth(120)
        self.psi_slider.setToolTip(
            self.tr(
                "Truncation ψ: every w is pulled towards the average w by 1 − ψ. ψ = 1 shows "
                "what G really samples; lower values give more typical images with less "
                "variety; ψ = 0 gives the average image for every z."
            )
        )
        psi_column.addWidget(self.psi_label)
        psi_column.addWidget(self.psi_slider)
        crossover_group = QWidget()
        crossover_column = QVBoxLayout(crossover_group)
        crossover_column.setContentsMargins(0, 0, 0, 0)
        crossover_column.setSpacing(0)
        self.crossover_label = QLabel(self.tr("Crossover layer"))
        self.crossover_box = QComboBox()
        self.crossover_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.crossover_box.setToolTip(
            self.tr(
                "Style mixing: layers before this one take their style from the row's image "
                "(coarse: shape and position), layers from it on from the column's image "
                "(fine: colour and detail)."
            )
        )
        crossover_column.addWidget(self.crossover_label)
        crossover_column.addWidget(self.crossover_box)
        flow.addWidget(psi_group)
        flow.addWidget(crossover_group)
        layout.addWidget(controls)

        layout.addWidget(self.interp_widget, 3)
        self.path_label = QLabel()
        self.path_label.setWordWrap(True)
        self.path_label.setFont(style.font(0.95))
        self.path_label.setToolTip(
            self.tr(
                "Perceptual path length, pixel version (Karras et al. 2019): how much the "
                "image changes per small step along random paths in z and in w. The smaller "
                "value belongs to the smoother, more disentangled space."
            )
        )
        layout.addWidget(self.path_label)

        self._layer_sides: tuple[int, ...] = ()
        self._mixing_shape: tuple[int, ...] = ()
        self._sync_controls = True  # the next snapshot sets ψ and the crossover
        self.psi_slider.valueChanged.connect(self._on_psi_changed)
        self.crossover_box.currentIndexChanged.connect(self._on_crossover_changed)
        self._show_psi()
        self.clear()

    # -- controls

    @property
    def psi(self) -> float:
        """The slider's ψ in [0, 1]."""
        return self.psi_slider.value() / PSI_STEPS

    @property
    def crossover(self) -> int:
        """The selected crossover layer (1 .. num_ws - 1), or 0 before a run is shown."""
        data = self.crossover_box.currentData()
        return int(data) if data is not None else 0

    def _show_psi(self) -> None:
        self.psi_label.setText(self.tr("Truncation ψ = {psi}").format(psi=f"{self.psi:.2f}"))

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"psi": self.psi}
        if self.crossover:
            params["crossover"] = self.crossover
        return params

    def _on_psi_changed(self, _value: int) -> None:
        self._show_psi()
        self.panel_requested.emit("all", self._params())

    def _on_crossover_changed(self, _index: int) -> None:
        if self.crossover:
            self.panel_requested.emit("mixing", self._params())

    def _set_layers(self, sides: tuple[int, ...], crossover: int) -> None:
        """Fill the crossover selector for ``sides`` (resolution per style), silently."""
        self.crossover_box.blockSignals(True)
        try:
            if sides != self._layer_sides:
                self._layer_sides = sides
                self.crossover_box.clear()
                for i in range(1, len(sides)):
                    text = self.tr("{layer} ({side} px)")
                    self.crossover_box.addItem(text.format(layer=i, side=sides[i]), i)
            index = self.crossover_box.findData(crossover)
            if index >= 0:
                self.crossover_box.setCurrentIndex(index)
        finally:
            self.crossover_box.blockSignals(False)

    # -- drawing

    def _show_mixing(self, arrays: dict[str, Any]) -> None:
        sides = tuple(int(s) for s in np.asarray(arrays["layer_sides"]).reshape(-1))
        crossover = int(np.asarray(arrays["crossover"]))
        if self._sync_controls:
            self._set_layers(sides, crossover)
        else:
            self._set_layers(sides, self.crossover or crossover)
        images, cells = mixing_canvas(arrays["mix_rows"], arrays["mix_cols"], arrays["mixing"])
        tiled = header_gap(tile_images(np.asarray(images), cells), images.shape[1:3])
        self.mixing_item.setImage(tiled, autoLevels=False, levels=(0, 255))
        if tiled.shape != self._mixing_shape:
            self._mixing_shape = tiled.shape
            self.mixing_widget.getPlotItem().setRange(
                xRange=(0, tiled.shape[1]), yRange=(0, tiled.shape[0]), padding=0.02
            )
        coarse = sides[crossover - 1] if 0 < crossover <= len(sides) else 0
        fine = sides[crossover] if 0 <= crossover < len(sides) else 0
        text = self.tr(
            "Mixing: each image has the coarse styles (layers 0–{last_coarse}, up to {coarse} "
            "px) of its row's left image and the fine styles (layers {first_fine}–{last}, from "
            "{fine} px) of its column's top image."
        )
        self.mixing_label.setText(
            text.format(
                last_coarse=crossover - 1,
                coarse=coarse,
                first_fine=crossover,
                last=len(sides) - 1,
                fine=fine,
            )
        )

    def _show_interpolation(self, arrays: dict[str, Any]) -> None:
        z_row, w_row = np.asarray(arrays["interp_z"]), np.asarray(arrays["interp_w"])
        images = np.concatenate([z_row, w_row])
        labels = np.repeat(np.arange(INTERP_ROWS), len(z_row))
        names = (self.tr("in z"), self.tr("in w"))
        self.interp.show(images, labels, names, max_cols=len(z_row))

    def _show_values(self, values: dict[str, float]) -> None:
        if "ppl_z" in values and "ppl_w" in values:
            text = self.tr("Path length (pixels, lower is smoother): z {z} · w {w}")
            self.path_label.setText(
                text.format(z=f"{values['ppl_z']:.3g}", w=f"{values['ppl_w']:.3g}")
            )

    def _show_arrays(self, arrays: dict[str, Any]) -> None:
        if "samples" in arrays:
            self.samples.show(np.asarray(arrays["samples"]), None, ())
        if "mixing" in arrays:
            self._show_mixing(arrays)
        if "interp_z" in arrays:
            self._show_interpolation(arrays)
        if self._sync_controls and "psi" in arrays:
            self.psi_slider.blockSignals(True)
            self.psi_slider.setValue(round(float(np.asarray(arrays["psi"])) * PSI_STEPS))
            self.psi_slider.blockSignals(False)
            self._show_psi()
        self._sync_controls = False

    # -- DataPanel

    def show_segment(self, info: Any, family: Any) -> None:
        """A new segment: empty; the first snapshot sets ψ and the crossover (the
        trainer's views start at ψ = 1 and their default crossover)."""
        self.clear()

    def show_real(self, info: Any) -> None:
        """The style panel shows generated images only."""

    def show_snapshot(self, snapshot: Any) -> None:
        """Draw a ``PanelSnapshot`` of the ``style`` panel."""
        self._show_arrays(snapshot.arrays)
        self._show_values(snapshot.values)

    def show_answer(self, answer: Any) -> None:
        """Draw the parts a request asked for (``PanelAnswer.arrays``)."""
        self._show_arrays(answer.arrays)

    def set_output_kind(self, output_kind: str) -> None:
        """The style panel shows no D output."""

    def clear(self) -> None:
        self.samples.clear()
        self.mixing_item.clear()
        self.mixing_label.setText("")
        self._mixing_shape = ()
        self.interp.clear()
        self.path_label.setText(
            self.tr("Path length (pixels, lower is smoother): measured while training runs")
        )
        self._sync_controls = True
