"""The CycleGAN panel: both translations and their way back. GUI thread; no torch.

Two blocks, one above the other, each a grid of the same fixed held-out images in three
rows, so that a column reads as one image's round trip from top to bottom:

- A → B → A: the images of domain A, G(A) (translated into B), F(G(A)) (translated back);
- B → A → B: the images of domain B, F(B), G(F(B)).

Row names use the data set's domain names (``SegmentStarted.domains``, translated where
the catalogue knows them: "filled shape", "outline"). Under each block: the cycle error
of the images shown, mean |F(G(A)) − A| on the [-1, 1] pixel scale. The arrays come from
``PanelSnapshot.arrays`` as ganlab.models.cyclegan.Views documents them. The cycle and
identity losses are among the curves (the family's ``loss_terms``), the held-out cycle
error and the domain classifier's share in the metrics panel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from ganlab.kernel import reports as rep
from ganlab.widgets import style
from ganlab.widgets.image_view import SEPARATOR_FILL, _ImageGrid, image_plot

# Snapshot array keys of the three columns of each block.
BLOCKS: tuple[tuple[str, str, str], ...] = (("a", "ab", "aba"), ("b", "ba", "bab"))
ERRORS = ("aba_error", "bab_error")


class CyclePanel(QWidget):
    """A → G(A) → F(G(A)) and B → F(B) → G(F(B)) for fixed held-out images."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setVerticalSpacing(2)
        self._grids: list[_ImageGrid] = []
        self._headings: list[QLabel] = []
        self._captions: list[QLabel] = []
        self._images: dict[str, np.ndarray] = {}
        self._row_names: list[tuple[str, str, str]] = [("A", "", ""), ("B", "", "")]
        for b in range(len(BLOCKS)):
            heading = QLabel()
            heading.setFont(style.font(1.1))
            heading.setWordWrap(True)
            layout.addWidget(heading, 3 * b, 0)
            self._headings.append(heading)
            widget, item = image_plot("")
            widget.getPlotItem().setTitle(None)
            layout.addWidget(widget, 3 * b + 1, 0)
            layout.setRowStretch(3 * b + 1, 1)
            self._grids.append(_ImageGrid(widget, item))
            caption = QLabel()
            caption.setFont(style.font(0.95))
            caption.setWordWrap(True)
            caption.setContentsMargins(0, 0, 0, 10)  # apart from the next block's heading
            layout.addWidget(caption, 3 * b + 2, 0)
            self._captions.append(caption)
        self.set_domains((self.tr("domain A"), self.tr("domain B")))
        self.setToolTip(
            self.tr(
                "Each column follows one held-out image there and back: translated into "
                "the other domain, then translated back. The cycle loss asks the way back to "
                "give the original image; without it the translation may invent a "
                "different picture that only looks like the other domain."
            )
        )

    # -- content -------------------------------------------------------------------------

    def set_domains(self, names: tuple[str, str]) -> None:
        """Headings and row names for domains A and B (names already translated)."""
        a, b = names
        self._headings[0].setText(self.tr("A → B → A: does F(G(A)) give A back?"))
        self._headings[1].setText(self.tr("B → A → B: does G(F(B)) give B back?"))
        stage = self.tr("{stage}: {domain}")
        self._row_names = [
            (
                stage.format(stage="A", domain=a),
                stage.format(stage="G(A)", domain=b),
                stage.format(stage="F(G(A))", domain=a),
            ),
            (
                stage.format(stage="B", domain=b),
                stage.format(stage="F(B)", domain=a),
                stage.format(stage="G(F(B))", domain=b),
            ),
        ]
        self._redraw()

    def row_names(self, block: int) -> tuple[str, str, str]:
        """The three row names of block 0 (A → B → A) or 1 (B → A → B)."""
        return self._row_names[block]

    def set_images(self, key: str, images: np.ndarray) -> None:
        """Show (N, H, W, C) or (N, H, W) uint8 images in row ``key`` (one per column)."""
        images = np.asarray(images)
        if images.ndim == 3:
            images = images[..., None]
        self._images[key] = images.astype(np.uint8, copy=False)
        self._redraw()

    def _redraw(self) -> None:
        for b, keys in enumerate(BLOCKS):
            grid = self._grids[b]
            shown = [self._images[k] for k in keys if k in self._images and len(self._images[k])]
            if not shown:
                grid.clear()
                continue
            n = max(len(x) for x in shown)
            shape = shown[0].shape[1:]
            rows = []
            for key in keys:  # a row not drawn yet stays blank, so the rows keep their place
                x = self._images.get(key)
                if x is None or x.shape[1:] != shape:
                    x = np.full((0, *shape), SEPARATOR_FILL, dtype=np.uint8)
                pad = np.full((n - len(x), *shape), SEPARATOR_FILL, dtype=np.uint8)
                rows.append(np.concatenate([x[:n], pad]))
            labels = np.repeat(np.arange(len(keys)), n)
            grid.show(np.concatenate(rows), labels, self._row_names[b], max_cols=n)

    def set_errors(self, err_a: float | None, err_b: float | None) -> None:
        """The captions: mean cycle error of the images shown (None clears one)."""
        texts = (
            self.tr("cycle error |F(G(A)) − A| = {value}"),
            self.tr("cycle error |G(F(B)) − B| = {value}"),
        )
        for caption, text, value in zip(self._captions, texts, (err_a, err_b), strict=True):
            caption.setText("" if value is None else text.format(value=f"{value:.3f}"))

    def image_count(self, key: str) -> int:
        """How many images row ``key`` shows (0 when empty)."""
        x = self._images.get(key)
        return 0 if x is None else len(x)

    def block_image(self, block: int) -> np.ndarray | None:
        """The tiled array block 0 or 1 shows (rows of tiles), or None when empty."""
        return self._grids[block].item.image

    # -- the window's DataPanel protocol (ganlab.app.panels) ------------------------------

    def clear(self) -> None:
        self._images.clear()
        for grid in self._grids:
            grid.clear()
        self.set_errors(None, None)

    def show_segment(self, info: rep.SegmentStarted, family: Any) -> None:
        """A new segment: empty, with its domain names as headings."""
        from ganlab.kernel import i18n

        self.clear()
        if len(info.domains) == 2:
            a, b = (i18n._(name) for name in info.domains)
            self.set_domains((a, b))

    def show_real(self, info: rep.SegmentStarted) -> None:
        """The fixed held-out images (``info.real``, (N, 2, H, W, C)) in the A and B rows."""
        real = np.asarray(info.real)
        if real.ndim == 5 and real.shape[1] == 2:
            self.set_images("a", real[:, 0])
            self.set_images("b", real[:, 1])

    def show_snapshot(self, snapshot: Any) -> None:
        arrays = snapshot.arrays
        for keys in BLOCKS:
            for key in keys:
                if key in arrays:
                    images = np.asarray(arrays[key])
                    self._images[key] = (images[..., None] if images.ndim == 3 else images).astype(
                        np.uint8, copy=False
                    )
        self._redraw()
        errors = [arrays.get(name) for name in ERRORS]
        self.set_errors(*(None if e is None or not len(e) else float(np.mean(e)) for e in errors))

    def show_answer(self, answer: Any) -> None:
        """No requests of its own: nothing to show."""

    def set_output_kind(self, output_kind: str) -> None:
        """D's outputs are not shown here."""
