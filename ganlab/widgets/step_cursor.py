"""The timeline's step cursor: one vertical line at a step on each of several plots.

GUI thread. The Curves and the Metrics panels show where the views are while the
timeline is scrubbed back (``ganlab.app.timeline``); live, the cursor is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyqtgraph as pg

from ganlab.widgets import style


class StepCursor:
    """Vertical lines at one step (solid, the cursor colour, above the curves), one per
    plot, made on first use; they never stretch a plot's range."""

    def __init__(self) -> None:
        self._lines: dict[str, pg.InfiniteLine] = {}

    def set(self, plots: Mapping[str, pg.PlotItem], step: int | None, tip: str = "") -> None:
        """Show the lines at ``step`` on ``plots`` (by name), or hide them (None)."""
        if step is None:
            for line in self._lines.values():
                line.hide()
            return
        if not self._lines:
            pen = pg.mkPen(style.CURSOR, width=2)
            for name, plot in plots.items():
                line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
                line.setZValue(20)  # above the curves: it marks a moment on all of them
                plot.addItem(line, ignoreBounds=True)
                self._lines[name] = line
        for line in self._lines.values():
            line.setValue(step)
            line.setToolTip(tip)
            line.show()

    def value(self) -> float | None:
        """The step the lines mark, or None when hidden."""
        line = next(iter(self._lines.values()), None)
        return float(line.value()) if line is not None and line.isVisible() else None
