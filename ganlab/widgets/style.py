"""Shared look of the panels: colours, fonts, pyqtgraph options. GUI thread; no torch.

Colours follow GAN Lab's convention: real data green, generated data purple. D's output
is drawn with a diverging map from purple (0: "fake") through white (1/2: "cannot tell")
to green (1: "real"), so the equilibrium D = 1/2 is the neutral colour. Sizes are in
points and scale with the presentation factor so the plots stay readable on a projector.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

REAL = "#1a9850"  # real samples, p_data
FAKE = "#762a83"  # generated samples, p_g
D_COLOR = "#e66101"  # the discriminator (curves, highlights)
G_COLOR = "#5e3c99"  # the generator
NEUTRAL = "#555555"  # reference lines (D = 1/2, optimum)
MOTION = "#202020"  # gradient arrows

BASE_POINT_SIZE = 11  # axis labels and ticks at presentation factor 1
_presentation = 1.0


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options; call once before creating plots.

    Antialiasing is off: antialiased paths are QPainter's slow path, and painting holds
    the GIL, which the trainer thread needs for every step (benchmarks/
    window_vs_headless.py: window/headless about 0.74 with it, 0.87 without). Scatter
    symbols stay smooth: pyqtgraph renders them once into cached pixmaps.
    """
    pg.setConfigOptions(antialias=False, background="w", foreground="k", imageAxisOrder="row-major")


def presentation_factor() -> float:
    return _presentation


def set_presentation_factor(factor: float) -> None:
    """1.0 normal, about 1.6 for a projector. Panels read it when they (re)style."""
    global _presentation
    _presentation = max(0.5, float(factor))


def font(scale: float = 1.0, bold: bool = False) -> QFont:
    f = QFont()
    f.setPointSizeF(BASE_POINT_SIZE * scale * _presentation)
    f.setBold(bold)
    return f


def style_plot(plot: pg.PlotItem) -> None:
    """Readable axes: larger tick and label fonts, a light grid."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font(0.9))
        axis.label.setFont(font(1.0))
        axis.setPen(pg.mkPen("#333333", width=1))
        axis.setTextPen(pg.mkPen("#222222"))
    plot.showGrid(x=True, y=True, alpha=0.15)


def d_colormap() -> pg.ColorMap:
    """Purple (D = 0, fake) -> white (1/2) -> green (D = 1, real)."""
    stops = np.array([0.0, 0.5, 1.0])
    colors = [QColor(FAKE), QColor("#f7f7f7"), QColor(REAL)]
    return pg.ColorMap(stops, [c.getRgb() for c in colors])


def color(hex_code: str, alpha: int = 255) -> QColor:
    c = QColor(hex_code)
    c.setAlpha(alpha)
    return c
