"""Shared look of the panels: colours, fonts, pyqtgraph options. GUI thread; no torch.

Colours follow GAN Lab's convention: real data green, generated data purple. D's output
is drawn with a diverging map from purple (0: "fake") through white (1/2: "cannot tell")
to green (1: "real"), so the equilibrium D = 1/2 is the neutral colour. Sizes are in
points and scale with the presentation factor so the plots stay readable on a projector.
"""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication
from PySide6.QtWidgets import QWidget

REAL = "#1a9850"  # real samples, p_data
FAKE = "#762a83"  # generated samples, p_g
D_COLOR = "#e66101"  # the discriminator (curves, highlights)
G_COLOR = "#5e3c99"  # the generator
NEUTRAL = "#555555"  # reference lines (D = 1/2, optimum)
MOTION = "#202020"  # gradient arrows
CURSOR = "#2166ac"  # the timeline's step cursor on the plots (solid; markers are grey dots)

BASE_POINT_SIZE = 11  # axis labels and ticks at presentation factor 1
PRESENTATION_FACTOR = 1.6  # presentation mode: text, lines and markers this much larger
_presentation = 1.0
_app_point_size: float | None = None  # the application font's size at factor 1
# Where apply_presentation keeps an item's size at factor 1 and the size it last set:
# a size found different from the one set was changed since, so it is read afresh.
_BASE = "_ganlab_presentation_base"
_PT = re.compile(r"([0-9.]+)pt")


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
    """1.0 normal, about 1.6 for a projector. Panels read it when they (re)style.

    Only new fonts follow; :func:`apply_presentation` also rescales what exists.
    """
    global _presentation
    _presentation = max(0.5, float(factor))


def apply_presentation(root: QWidget, factor: float) -> None:
    """Scale everything under ``root`` by ``factor`` (1.0: normal size), and back exactly.

    The application font (menus, dialogs, tool tips), the font of every widget under
    ``root`` (each set from its own size), and in every
    pyqtgraph view: tick and axis labels, titles, legends, text labels, line widths and
    marker sizes. Each size is kept at factor 1 the first time it is scaled, so going
    back restores the original values, not a product of rounded ones. Panels with a
    ``restyle()`` method are asked to re-apply their own sizes afterwards.

    Parameters
    ----------
    root
        The window (or panel) to rescale.
    factor
        Target scale, at least 0.5.
    """
    global _app_point_size
    old = _presentation
    set_presentation_factor(factor)
    new = _presentation
    # Every widget's size before anything changes: a widget under a style sheet does not
    # follow its parent's font, so each one is set, from its own size, not inherited.
    widgets = [root, *root.findChildren(QWidget)]
    fonts = [(widget, widget.font()) for widget in widgets]
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        font = QGuiApplication.font()
        if _app_point_size is None or old == 1.0:
            _app_point_size = font.pointSizeF()
        font.setPointSizeF(_app_point_size * new)
        QGuiApplication.setFont(font)
    for widget, font in fonts:
        if font.pointSizeF() > 0:
            font.setPointSizeF(_rescaled(widget, "font", font.pointSizeF(), old, new))
            widget.setFont(font)
    for view in root.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            _rescale_item(item, old, new)
    for widget in widgets:
        restyle = getattr(widget, "restyle", None)
        if callable(restyle):
            restyle()


def _rescaled(owner: object, key: str, current: float, old: float, new: float) -> float:
    """``owner``'s size ``key`` at factor ``new``, from its remembered size at factor 1."""
    try:
        memory = owner.__dict__.setdefault(_BASE, {})
    except AttributeError:  # an object without a __dict__: scale what it has now
        return current * new / old
    base, applied = memory.get(key, (None, None))
    if base is None or applied != current:
        base = current / old
    value = base * new
    memory[key] = (base, value)
    return value


def _rescale_item(item: object, old: float, new: float) -> None:
    """Fonts, text sizes, pens and markers of one pyqtgraph item."""
    if isinstance(item, pg.AxisItem):
        tick_font = item.style.get("tickFont")
        if tick_font is not None:
            tick_font = QFont(tick_font)
            tick_font.setPointSizeF(_rescaled(item, "tick", tick_font.pointSizeF(), old, new))
            item.setTickFont(tick_font)
        label_font = item.label.font()
        if label_font.pointSizeF() > 0:
            label_font.setPointSizeF(_rescaled(item, "label", label_font.pointSizeF(), old, new))
            item.label.setFont(label_font)
        item._adjustSize()
    elif isinstance(item, pg.LabelItem):
        match = _PT.fullmatch(str(item.opts.get("size") or ""))
        if match:
            size = _rescaled(item, "size", float(match.group(1)), old, new)
            item.setText(item.text, size=f"{size:.6g}pt")
            plot = item.parentItem()
            if isinstance(plot, pg.PlotItem) and plot.titleLabel is item:
                # PlotItem.setTitle fixes the title row at 30 px: a larger title needs more.
                height = max(30.0, item.item.boundingRect().height())
                item.setMaximumHeight(height)
                plot.layout.setRowFixedHeight(0, height)
    elif isinstance(item, pg.LegendItem):
        match = _PT.fullmatch(str(item.opts.get("labelTextSize") or ""))
        if match:
            size = _rescaled(item, "labels", float(match.group(1)), old, new)
            item.opts["labelTextSize"] = f"{size:.6g}pt"
        item.updateSize()
    elif isinstance(item, pg.TextItem):
        font = item.textItem.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(_rescaled(item, "font", font.pointSizeF(), old, new))
            item.setFont(font)
    elif isinstance(item, pg.PlotDataItem):
        pen = item.opts.get("pen")
        if pen is not None:
            pen = pg.mkPen(pen)
            # A 0-width pen is a cosmetic 1-px line: left as it is.
            if pen.style() != Qt.PenStyle.NoPen and pen.widthF() > 0:
                pen.setWidthF(_rescaled(item, "pen", pen.widthF(), old, new))
                item.setPen(pen)
        if item.opts.get("symbol") is not None:
            size = item.opts.get("symbolSize")
            if isinstance(size, (int, float)):
                item.setSymbolSize(_rescaled(item, "symbol", float(size), old, new))
    elif isinstance(item, pg.ScatterPlotItem) and not isinstance(
        item.parentItem(), pg.PlotDataItem
    ):
        size = item.opts.get("size")
        if isinstance(size, (int, float)):
            item.setSize(_rescaled(item, "size", float(size), old, new))


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


def legend_columns(legend: pg.LegendItem, width: float, most: int = 4) -> int:
    """The most columns (up to ``most``, at least 1) whose entries fit ``width`` pixels,
    measured from the entries' own text (a legend wider than its view is cut off)."""
    cells = [
        sample.boundingRect().width() + label.item.boundingRect().width() + 10.0
        for sample, label in legend.items
        if label.isVisible() or sample.isVisible()
    ]
    left, _top, right, _bottom = legend.layout.getContentsMargins()
    for columns in range(min(most, max(len(cells), 1)), 1, -1):
        widths = [max(cells[c::columns]) for c in range(min(columns, len(cells)))]
        if sum(widths) + left + right <= width:
            return columns
    return 1


def legend_size(legend: pg.LegendItem, columns: int) -> tuple[float, float]:
    """Width and height in pixels of ``legend`` laid out in ``columns`` columns, margins
    included, from its entries' own text sizes (Qt's layout hints lag behind a change of
    text or column count). Hidden entries count too: (0, 0) for an empty legend."""
    cells = [
        (
            sample.boundingRect().width() + label.item.boundingRect().width() + 6.0,
            max(sample.boundingRect().height(), label.item.boundingRect().height()),
        )
        for sample, label in legend.items
    ]
    if not cells:
        return 0.0, 0.0
    rows = -(-len(cells) // columns)
    # pyqtgraph fills a row before the next: entry i sits in row i // columns.
    widths = [
        max(w for j, (w, _h) in enumerate(cells) if j % columns == c)
        for c in range(min(columns, len(cells)))
    ]
    heights = [max(h for j, (_w, h) in enumerate(cells) if j // columns == r) for r in range(rows)]
    left, top, right, bottom = legend.layout.getContentsMargins()
    return float(sum(widths) + left + right), float(sum(heights) + top + bottom)


def place_header_legend(plot: pg.PlotItem, most: int = 4, from_axis: bool = True) -> bool:
    """Put ``plot``'s legend in the title band above the data, never over a curve.

    The legend goes right of the (left-aligned) title when both fit on one line, else
    under the title from the left axis on (from the plot's left edge if not
    ``from_axis``), with as many columns (up to ``most``) as the width allows. Row 0
    of the plot's layout grows to hold it. Call it again whenever the plot's size,
    title or legend entries change (e.g. on ``plot.geometryChanged``).

    Returns
    -------
    bool
        True when the legend sits beside the title, False when under it (or no legend).
    """
    legend = plot.legend
    if legend is None:
        return False
    plot.titleLabel.setAttr("justify", "left")
    if legend.parentItem() is not plot:
        legend.setParentItem(plot)
    width = plot.geometry().width()
    title_visible = plot.titleLabel.isVisible()
    title = plot.titleLabel.item.boundingRect() if title_visible else None
    title_h = title.height() if title is not None else 0.0
    margin = 8.0 * presentation_factor()
    axis = plot.getAxis("left").width() if plot.getAxis("left").isVisible() else 0.0
    if not from_axis:
        axis = 4.0
    entries = len(legend.items)
    # Under the title the legend starts at the left axis: that much less room.
    room_under = width - axis - margin
    for columns in range(min(max(entries, 1), most), 0, -1):
        legend_w, legend_h = legend_size(legend, columns)
        if legend_w <= room_under or columns == 1:
            break
    legend.setColumnCount(columns)
    title_right = (
        plot.titleLabel.item.mapRectToItem(plot, title).right() if title is not None else axis
    )
    beside = title is not None and title_right + legend_w + 2 * margin <= width
    if entries == 0:
        band = max(30.0, title_h) if title is not None else 0.0
    elif beside:
        band = max(30.0, title_h, legend_h + 4.0)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-margin, 2.0))
    else:
        band = title_h + legend_h + 4.0
        legend.anchor(itemPos=(0, 0), parentPos=(0, 0), offset=(axis, title_h + 2.0))
    plot.layout.setRowFixedHeight(0, band)
    if title is not None:
        plot.titleLabel.setMaximumHeight(title_h)
    plot.layout.activate()  # now, not at the next event: the curves move down at once
    return beside


class PlotTexts:
    """Keep a plot's title and axis titles whole where they fit, elided ("…") where not.

    Elided texts are listed in full in the widget's tooltip, under ``tooltip``. Re-fits on
    every resize of the plot or its view box.

    Parameters
    ----------
    widget
        The ``pg.PlotWidget``.
    title, bottom, left
        English-or-translated texts ("" for none); the title is drawn at ``scale`` of the
        base font, bold.
    tooltip
        The widget's own explanation, shown first.
    scale
        The title's font size, relative to the base font.
    from_axis
        Passed on to :func:`place_header_legend` when the title changes.
    """

    def __init__(
        self,
        widget: pg.PlotWidget,
        title: str = "",
        bottom: str = "",
        left: str = "",
        tooltip: str = "",
        scale: float = 1.0,
        from_axis: bool = True,
    ) -> None:
        self.widget = widget
        self.from_axis = from_axis
        self.plot = widget.getPlotItem()
        self.texts = {"title": title, "bottom": bottom, "left": left}
        self.tooltip = tooltip
        self.scale = scale
        self._shown: dict[str, str] = {}
        self.plot.geometryChanged.connect(self.fit)
        self.plot.getViewBox().sigResized.connect(self.fit)
        self.fit()

    def set_text(self, which: str, text: str) -> None:
        """Change the ``"title"``, ``"bottom"`` or ``"left"`` text and fit it."""
        self.texts[which] = text
        self._shown.pop(which, None)
        self.fit()

    def fit(self, *_: object) -> None:
        view = self.plot.getViewBox()
        left = self.plot.getAxis("left")
        room = {
            "title": self.widget.width() - (left.width() if left.isVisible() else 0.0) - 12.0,
            "bottom": view.width() - 12.0,  # the label item pads its text
            "left": view.height() - 12.0,
        }
        elided = []
        for which, text in self.texts.items():
            if not text:
                continue
            f = (
                font(self.scale, bold=True)
                if which == "title"
                else self.plot.getAxis(which).label.font()
            )
            width = room[which]
            shown = (
                QFontMetricsF(f).elidedText(text, Qt.TextElideMode.ElideRight, width)
                if width > 20
                else text
            )
            if shown != text:
                elided.append(text)
                if which != "title" and width < 60:
                    shown = ""  # "imá…" says nothing: the tooltip has it
            if self._shown.get(which) == shown:
                continue
            self._shown[which] = shown
            if which != "title" and not shown:
                self.plot.getAxis(which).showLabel(False)
            elif which == "title":
                self.plot.setTitle(shown, size=f"{f.pointSizeF():.1f}pt", bold=True)
                if self.plot.legend is not None:
                    # setTitle reset the band's height
                    place_header_legend(self.plot, from_axis=self.from_axis)
            else:
                self.plot.setLabel(which, shown)  # shows the label again
                self.plot.getAxis(which).resizeEvent()  # pyqtgraph centres it only there
        tip = "\n\n".join([self.tooltip, *elided]) if elided else self.tooltip
        if self.widget.toolTip() != tip:
            self.widget.setToolTip(tip)
