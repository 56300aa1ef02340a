"""The CycleGAN panel: both translations and their way back. GUI thread; no torch.

Two blocks side by side, each three columns of the same fixed held-out images (one
image per row, so a row reads as one triplet from left to right):

- A → B → A: the image of domain A, G(A) (translated into B), F(G(A)) (translated back);
- B → A → B: the image of domain B, F(B), G(F(B)).

Column headings use the data set's domain names (``SegmentStarted.domains``, translated
where the catalogue knows them: "filled shape", "outline"). Under each block: the cycle
error of the images shown, mean |F(G(A)) − A| on the [-1, 1] pixel scale. The arrays come
from ``PanelSnapshot.arrays`` as ganlab.models.cyclegan.Views documents them. The cycle and
identity losses are among the curves (the family's ``loss_terms``), the held-out cycle
error and the domain classifier's share in the metrics panel.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ganlab.kernel import reports as rep
from ganlab.widgets import style
from ganlab.widgets.image_view import image_plot, tile_images

# Snapshot array keys of the three columns of each block.
BLOCKS: tuple[tuple[str, str, str], ...] = (("a", "ab", "aba"), ("b", "ba", "bab"))
ERRORS = ("aba_error", "bab_error")


class CyclePanel(QWidget):
    """A → G(A) → F(G(A)) and B → F(B) → G(F(B)) for fixed held-out images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setHorizontalSpacing(2)
        self._plots: dict[str, tuple[pg.PlotWidget, Any]] = {}
        self._counts: dict[str, int] = {}
        self._headings: list[QLabel] = []
        self._captions: list[QLabel] = []
        for b, keys in enumerate(BLOCKS):
            first = b * 4  # a spacer column between the blocks
            heading = QLabel()
            heading.setFont(style.font(1.1))
            heading.setWordWrap(True)
            layout.addWidget(heading, 0, first, 1, 3)
            self._headings.append(heading)
            for i, key in enumerate(keys):
                self._plots[key] = image_plot("")
                layout.addWidget(self._plots[key][0], 1, first + i)
                layout.setColumnStretch(first + i, 1)
            caption = QLabel()
            caption.setFont(style.font(0.95))
            caption.setWordWrap(True)
            layout.addWidget(caption, 2, first, 1, 3)
            self._captions.append(caption)
        layout.setColumnMinimumWidth(3, 16)
        layout.setRowStretch(1, 1)
        self._domains: tuple[str, str] = ("A", "B")
        self.set_domains((self.tr("domain A"), self.tr("domain B")))
        self.setToolTip(
            self.tr(
                "Each row follows one held-out image there and back: translated into the "
                "other domain, then translated back. The cycle loss asks the way back to "
                "give the original image; without it the translation may invent a "
                "different picture that only looks like the other domain."
            )
        )

    # -- content -------------------------------------------------------------------------

    def set_domains(self, names: tuple[str, str]) -> None:
        """Headings and column titles for domains A and B (names already translated)."""
        a, b = names
        self._domains = (a, b)
        self._headings[0].setText(self.tr("A → B → A: does F(G(A)) give A back?"))
        self._headings[1].setText(self.tr("B → A → B: does G(F(B)) give B back?"))
        # Two lines: the stage, then the domain its images should belong to.
        titles = {
            "a": ("A", a),
            "ab": ("G(A)", self.tr("as {domain}").format(domain=b)),
            "aba": ("F(G(A))", self.tr("back to {domain}").format(domain=a)),
            "b": ("B", b),
            "ba": ("F(B)", self.tr("as {domain}").format(domain=a)),
            "bab": ("G(F(B))", self.tr("back to {domain}").format(domain=b)),
        }
        size = style.font(0.95).pointSizeF()
        for key, (stage, domain) in titles.items():
            widget, _item = self._plots[key]
            widget.getPlotItem().setTitle(
                f"<b>{stage}</b><br>{html.escape(domain)}", size=f"{size:.0f}pt"
            )

    def set_images(self, key: str, images: np.ndarray) -> None:
        """Show (N, H, W, C) or (N, H, W) uint8 images in column ``key`` (one per row)."""
        images = np.asarray(images)
        if images.ndim == 3:
            images = images[..., None]
        widget, item = self._plots[key]
        n = len(images)
        self._counts[key] = n
        if n == 0:
            item.clear()
            return
        tiled = tile_images(images.astype(np.uint8, copy=False), np.arange(n).reshape(n, 1))
        shape_changed = item.image is None or item.image.shape != tiled.shape
        item.setImage(tiled, autoLevels=False, levels=(0, 255))
        if shape_changed:
            widget.getPlotItem().setRange(
                xRange=(0, tiled.shape[1]), yRange=(0, tiled.shape[0]), padding=0.02
            )

    def set_errors(self, err_a: float | None, err_b: float | None) -> None:
        """The captions: mean cycle error of the rows shown (None clears one)."""
        texts = (
            self.tr("cycle error |F(G(A)) − A| = {value}"),
            self.tr("cycle error |G(F(B)) − B| = {value}"),
        )
        for caption, text, value in zip(self._captions, texts, (err_a, err_b), strict=True):
            caption.setText("" if value is None else text.format(value=f"{value:.3f}"))

    def image_count(self, key: str) -> int:
        """How many images column ``key`` shows (0 when empty)."""
        return self._counts.get(key, 0)

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------------

    def clear(self) -> None:
        for _widget, item in self._plots.values():
            item.clear()
        self._counts.clear()
        self.set_errors(None, None)

    def show_segment(self, info: rep.SegmentStarted, family: Any) -> None:
        """A new segment: empty, with its domain names as headings."""
        from ganlab.kernel import i18n

        self.clear()
        if len(info.domains) == 2:
            a, b = (i18n._(name) for name in info.domains)
            self.set_domains((a, b))

    def show_real(self, info: rep.SegmentStarted) -> None:
        """The fixed held-out images (``info.real``, (N, 2, H, W, C)) in the A and B columns."""
        real = np.asarray(info.real)
        if real.ndim == 5 and real.shape[1] == 2:
            self.set_images("a", real[:, 0])
            self.set_images("b", real[:, 1])

    def show_snapshot(self, snapshot: Any) -> None:
        arrays = snapshot.arrays
        for keys in BLOCKS:
            for key in keys:
                if key in arrays:
                    self.set_images(key, arrays[key])
        errors = [arrays.get(name) for name in ERRORS]
        self.set_errors(*(None if e is None or not len(e) else float(np.mean(e)) for e in errors))

    def show_answer(self, answer: Any) -> None:
        """No requests of its own: nothing to show."""

    def set_output_kind(self, output_kind: str) -> None:
        """D's outputs are not shown here."""
