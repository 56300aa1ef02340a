"""The Runs panel: the runs in a folder, and the curves of the ticked ones overlaid.

Passive: the app (``ganlab.app.runs_compare``) reads the run directories and hands the
panel plain data (rows like :class:`ganlab.kernel.runs.RunInfo`, curves as step/value arrays,
the settings that differ as legend texts); the panel says what the user wants with
signals (another folder, a refresh, other runs ticked). GUI thread; no torch.

One plot shows one quantity (a loss, a gradient norm, a learning rate, a quality
metric: the picker lists those the ticked runs have) for every ticked run, each in its
own colour from a colour-blind-safe palette (Okabe and Ito), with the legend under the
plot naming each run and the settings in which it differs from the others.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style
from ganlab.widgets.curves import ema_extend

# How ganlab.kernel.runs.RunCurves names a quality metric's curve ("metric:jsd") and a
# layer's gradient norm ("grad_norm_d/fc1"); not imported from there, since the kernel's
# run reader reaches the registries, and through them torch, which panels never import
# (tests/app/test_runs_compare.py checks that the two agree).
METRIC_PREFIX = "metric:"
LAYER_SEPARATOR = "/"

# Okabe & Ito's colour-blind-safe palette (their yellow is too pale on white); past
# seven runs the colours repeat with dashed, then dotted lines.
RUN_COLORS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
SMOOTHING = 0.9  # the losses' and norms' moving average when "Smooth" is on
PATH_ROLE = Qt.ItemDataRole.UserRole  # the run directory of a table row (str)
COLUMNS = ("run", "family", "loss", "steps", "metrics", "when")
DEFAULT_CURVE = "g_loss"

_CTX = "RunsPanel"
# What the picker calls each step-row curve; a layer's norm reads "D gradient norm: fc1".
CURVE_TITLES = {
    "d_loss": QT_TRANSLATE_NOOP("RunsPanel", "D loss"),
    "g_loss": QT_TRANSLATE_NOOP("RunsPanel", "G loss"),
    "d_real": QT_TRANSLATE_NOOP("RunsPanel", "D output on real data"),
    "d_fake": QT_TRANSLATE_NOOP("RunsPanel", "D output on generated data"),
    "grad_norm_d": QT_TRANSLATE_NOOP("RunsPanel", "D gradient norm"),
    "grad_norm_g": QT_TRANSLATE_NOOP("RunsPanel", "G gradient norm"),
    "g_adv": QT_TRANSLATE_NOOP("RunsPanel", "G adversarial term"),
    "l1": QT_TRANSLATE_NOOP("RunsPanel", "L1 term"),
    "cycle": QT_TRANSLATE_NOOP("RunsPanel", "cycle term"),
    "identity": QT_TRANSLATE_NOOP("RunsPanel", "identity term"),
    "lr_d": QT_TRANSLATE_NOOP("RunsPanel", "D learning rate"),
    "lr_g": QT_TRANSLATE_NOOP("RunsPanel", "G learning rate"),
}
# Quality metrics by their metrics.jsonl key; others are listed by their key.
METRIC_TITLES = {
    "jsd": QT_TRANSLATE_NOOP("RunsPanel", "Jensen-Shannon divergence"),
    "modes_captured": QT_TRANSLATE_NOOP("RunsPanel", "modes captured"),
    "high_quality": QT_TRANSLATE_NOOP("RunsPanel", "high-quality samples"),
    "reverse_kl": QT_TRANSLATE_NOOP("RunsPanel", "reverse KL"),
    "w1": QT_TRANSLATE_NOOP("RunsPanel", "Wasserstein-1 distance"),
    "frechet_inception_distance": QT_TRANSLATE_NOOP("RunsPanel", "FID"),
    "inception_score_mean": QT_TRANSLATE_NOOP("RunsPanel", "IS"),
    "classifier_fid": QT_TRANSLATE_NOOP("RunsPanel", "FID (classifier features)"),
    "kl_real_fake": QT_TRANSLATE_NOOP("RunsPanel", "KL(data‖G)"),
    "kl_fake_real": QT_TRANSLATE_NOOP("RunsPanel", "KL(G‖data)"),
    "tv": QT_TRANSLATE_NOOP("RunsPanel", "total variation distance"),
    "jsd_floor": QT_TRANSLATE_NOOP("RunsPanel", "JSD floor (data vs data)"),
    "kl_real_fake_floor": QT_TRANSLATE_NOOP("RunsPanel", "KL(data‖G) floor (data vs data)"),
    "kl_fake_real_floor": QT_TRANSLATE_NOOP("RunsPanel", "KL(G‖data) floor (data vs data)"),
    "tv_floor": QT_TRANSLATE_NOOP("RunsPanel", "total variation floor (data vs data)"),
    "d_bound": QT_TRANSLATE_NOOP("RunsPanel", "JSD lower bound from D"),
    "fake_outside": QT_TRANSLATE_NOOP("RunsPanel", "generated samples outside the plot"),
    "num_modes": QT_TRANSLATE_NOOP("RunsPanel", "modes in the data"),
    "l1_held_out": QT_TRANSLATE_NOOP("RunsPanel", "L1 error (held-out pairs)"),
    "psnr": QT_TRANSLATE_NOOP("RunsPanel", "PSNR (held-out pairs)"),
    "cycle_error": QT_TRANSLATE_NOOP("RunsPanel", "cycle error"),
    "cycle_error_a": QT_TRANSLATE_NOOP("RunsPanel", "cycle error |F(G(A)) − A|"),
    "cycle_error_b": QT_TRANSLATE_NOOP("RunsPanel", "cycle error |G(F(B)) − B|"),
    "target_share": QT_TRANSLATE_NOOP("RunsPanel", "translations judged the target domain"),
    "target_share_ab": QT_TRANSLATE_NOOP("RunsPanel", "G(A) judged B"),
    "target_share_ba": QT_TRANSLATE_NOOP("RunsPanel", "F(B) judged A"),
    "real_share": QT_TRANSLATE_NOOP("RunsPanel", "real images judged their domain"),
    "ppl_w": QT_TRANSLATE_NOOP("RunsPanel", "perceptual path length in w"),
    "ppl_z": QT_TRANSLATE_NOOP("RunsPanel", "perceptual path length in z"),
}
# A metric's entry in the curve picker (lupdate finds the text here, not in _tr's call).
METRIC_LABEL = QT_TRANSLATE_NOOP("RunsPanel", "metric: {name}")
# The table's "last metrics" column shows these (short names), the first few a run has.
HEADLINE_METRICS = {
    "jsd": QT_TRANSLATE_NOOP("RunsPanel", "JSD"),
    "modes_captured": QT_TRANSLATE_NOOP("RunsPanel", "modes"),
    "w1": QT_TRANSLATE_NOOP("RunsPanel", "W1"),
    "frechet_inception_distance": QT_TRANSLATE_NOOP("RunsPanel", "FID"),
    "classifier_fid": QT_TRANSLATE_NOOP("RunsPanel", "FID (classifier)"),
    "inception_score_mean": QT_TRANSLATE_NOOP("RunsPanel", "IS"),
    "high_quality": QT_TRANSLATE_NOOP("RunsPanel", "high quality"),
}
TABLE_ROWS = 4  # rows the table shows at least before it scrolls
_HEADLINES_SHOWN = 2


class RunRow(Protocol):
    """What the table shows of a run (``ganlab.kernel.runs.RunInfo`` has it)."""

    path: Path
    name: str
    family: str
    loss: str
    steps: int
    modified: float
    metrics: dict[str, float]


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def curve_title(name: str) -> str:
    """The picker's text for a curve name of :class:`ganlab.kernel.runs.RunCurves`."""
    if name.startswith(METRIC_PREFIX):
        key = name[len(METRIC_PREFIX) :]
        return _tr(METRIC_LABEL).replace("{name}", _tr(METRIC_TITLES.get(key, key)))
    total, sep, layer = name.partition(LAYER_SEPARATOR)
    if sep:
        return f"{_tr(CURVE_TITLES.get(total, total))}: {layer}"
    return _tr(CURVE_TITLES.get(name, name))


def _number(value: float) -> str:
    return f"{value:.3g}"


class RunsPanel(QWidget):
    """A folder's runs in a table with a tick per run, and their curves overlaid.

    Signals
    -------
    folders_changed(list)
        The user picked other folders (list of str); the app lists their runs.
    refresh_requested()
        Read the folders and the ticked runs again (runs still training have grown).
    selection_changed(list)
        The ticked runs changed: their directories (list of str), in table order.
    """

    folders_changed = Signal(list)
    refresh_requested = Signal()
    selection_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
        self._labels: dict[str, str] = {}  # run -> the settings in which it differs
        self._colors: dict[str, int] = {}  # run -> palette index, kept while ticked
        self._items: dict[str, pg.PlotDataItem] = {}  # run -> its curve on the plot
        self._names: dict[str, str] = {}  # run -> the name the table and legend show
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)

        row = QHBoxLayout()
        self.folder_box = QComboBox()
        self.folder_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.folder_box.setMinimumContentsLength(12)
        self.folder_box.setToolTip(self.tr("The folder whose runs are listed"))
        self.folder_box.activated.connect(self._on_folder_box_activated)
        self.browse_button = QPushButton(self.tr("Folder…"))
        self.browse_button.setToolTip(self.tr("List the runs of another folder"))
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setToolTip(
            self.tr("Read the folder and the ticked runs again: runs still training grow")
        )
        self.refresh_button.clicked.connect(self.refresh_requested)
        row.addWidget(self.folder_box, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.refresh_button)
        layout.addLayout(row)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Run"),
                self.tr("Family"),
                self.tr("Loss"),
                self.tr("Steps"),
                self.tr("Last metrics"),
                self.tr("When"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Fitted once per listing: ResizeToContents would measure every column per cell.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_table_item_changed)
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(
            header.sizeHint().height() + TABLE_ROWS * rows + 2 * self.table.frameWidth()
        )
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setFont(style.font(0.95))
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b34700;")  # the log's warning colour
        self.problem_label.hide()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty_label)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.problem_label)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        picks = QHBoxLayout()
        self.curve_box = QComboBox()
        self.curve_box.setToolTip(self.tr("What the plot shows for each ticked run"))
        self.curve_box.currentIndexChanged.connect(self._redraw)
        self.smooth_check = QCheckBox(self.tr("Smooth"))
        self.smooth_check.setToolTip(
            self.tr("A moving average of the losses, norms and rates (not of the metrics)")
        )
        self.smooth_check.setChecked(True)
        self.smooth_check.toggled.connect(self._redraw)
        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setToolTip(self.tr("A logarithmic vertical axis"))
        self.log_check.toggled.connect(self._on_log_check_toggled)
        picks.addWidget(self.curve_box, 1)
        picks.addWidget(self.smooth_check)
        picks.addWidget(self.log_check)
        bottom_layout.addLayout(picks)
        self.plot_widget = pg.PlotWidget()
        self.plot = self.plot_widget.getPlotItem()
        style.style_plot(self.plot)
        self.plot.setLabel("bottom", self.tr("step"))
        # Values as they are: an SI factor ("x0.001") would hide in the axis title, and
        # the picker above the plot already names the quantity.
        for side in ("left", "bottom"):
            self.plot.getAxis(side).enableAutoSIPrefix(False)
        self.plot.setMinimumHeight(140)
        bottom_layout.addWidget(self.plot_widget, 1)
        self.legend_label = QLabel()
        self.legend_label.setWordWrap(True)
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend_label.setFont(style.font(0.95))
        bottom_layout.addWidget(self.legend_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)
        self._update_empty_text(has_runs=False)

    # ------------------------------------------------------------------ setters

    def set_folders(self, folders: list[str], current: int = 0) -> None:
        """The folders the picker offers; with several, the first entry lists them all."""
        self.folder_box.blockSignals(True)
        self.folder_box.clear()
        if len(folders) > 1:
            self.folder_box.addItem(self.tr("All of these folders"), list(folders))
            self.folder_box.setItemData(0, "\n".join(folders), Qt.ItemDataRole.ToolTipRole)
        for folder in folders:
            self.folder_box.addItem(folder, [folder])
            self.folder_box.setItemData(
                self.folder_box.count() - 1, folder, Qt.ItemDataRole.ToolTipRole
            )
        self.folder_box.setCurrentIndex(min(current, self.folder_box.count() - 1))
        self.folder_box.blockSignals(False)

    def folders(self) -> list[str]:
        """The folders whose runs the panel lists now."""
        data = self.folder_box.currentData()
        return list(data) if isinstance(data, list) else []

    def set_runs(self, runs: list[RunRow]) -> None:
        """List ``runs`` (newest first); runs listed before keep their tick."""
        ticked = set(self.ticked())
        self.table.blockSignals(True)
        self.table.setRowCount(len(runs))
        locale = QLocale()
        for r, run in enumerate(runs):
            key = str(run.path)
            self._names[key] = run.path.name
            name = QTableWidgetItem(run.path.name)
            name.setData(PATH_ROLE, key)
            name.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            name.setCheckState(Qt.CheckState.Checked if key in ticked else Qt.CheckState.Unchecked)
            name.setToolTip(f"{run.name}\n{run.path}")
            metrics = self._metrics_text(run.metrics)
            when = locale.toString(_datetime(run.modified), QLocale.FormatType.ShortFormat)
            cells = [
                name,
                QTableWidgetItem(run.family),
                QTableWidgetItem(run.loss),
                QTableWidgetItem(locale.toString(run.steps)),
                QTableWidgetItem(metrics),
                QTableWidgetItem(when),
            ]
            cells[3].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells[4].setToolTip("\n".join(f"{k} = {_number(v)}" for k, v in run.metrics.items()))
            for c, item in enumerate(cells):
                if c:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self._update_empty_text(has_runs=bool(runs))
        now = self.ticked()
        if set(now) != ticked:
            self._forget_unticked(now)
            self.selection_changed.emit(now)

    def set_progress(self, progress: dict[str, tuple[int, dict[str, float]]]) -> None:
        """The Steps and Last metrics cells of listed runs (run directory -> (last step,
        latest value of each metric)): runs still training grow while ticked. An empty
        metrics dict leaves the run's metrics cell as it is."""
        locale = QLocale()
        for r in range(self.table.rowCount()):
            key = str(self.table.item(r, 0).data(PATH_ROLE))
            if key not in progress:
                continue
            steps, metrics = progress[key]
            if (cell := self.table.item(r, 3)) is not None:
                cell.setText(locale.toString(int(steps)))
            if metrics and (cell := self.table.item(r, 4)) is not None:
                cell.setText(self._metrics_text(metrics))
                cell.setToolTip("\n".join(f"{k} = {_number(v)}" for k, v in metrics.items()))
        self.table.resizeColumnToContents(3)
        self.table.resizeColumnToContents(4)

    def set_curves(self, run: str, curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
        """The curves of a ticked run (curve name -> steps, values), as read so far."""
        self.show_runs({run: curves}, None)

    def set_labels(self, labels: dict[str, str]) -> None:
        """Per ticked run, the settings in which it differs from the others ("" if none)."""
        self.show_runs({}, labels)

    def show_runs(
        self,
        curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]],
        labels: dict[str, str] | None,
    ) -> None:
        """New curves for some ticked runs and (unless None) every ticked run's legend
        text, drawn at once (one redraw however many runs changed)."""
        self._curves.update(curves)
        if labels is not None:
            self._labels = dict(labels)
        if curves:
            self._update_curve_box()
        if curves or labels is not None:
            self._redraw()

    def set_problem(self, text: str) -> None:
        """A line under the table (a run that cannot be read); "" hides it."""
        self.problem_label.setText(text)
        self.problem_label.setToolTip(text)
        self.problem_label.setVisible(bool(text))

    def set_ticked(self, runs: list[str]) -> None:
        """Tick exactly ``runs`` (directories as str); emits ``selection_changed``."""
        wanted = set(runs)
        self.table.blockSignals(True)
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            state = item.data(PATH_ROLE) in wanted
            item.setCheckState(Qt.CheckState.Checked if state else Qt.CheckState.Unchecked)
        self.table.blockSignals(False)
        self._on_table_item_changed(None)

    def set_curve(self, name: str) -> bool:
        """Show curve ``name`` (a RunCurves name); False if no ticked run has it."""
        index = self.curve_box.findData(name)
        if index >= 0:
            self.curve_box.setCurrentIndex(index)
        return index >= 0

    # ------------------------------------------------------------------ reading

    def ticked(self) -> list[str]:
        """The ticked runs' directories (str), in table order."""
        out = []
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(PATH_ROLE)))
        return out

    def current_curve(self) -> str | None:
        data = self.curve_box.currentData()
        return str(data) if data is not None else None

    def plotted(self) -> dict[str, pg.PlotDataItem]:
        """Run -> its curve item on the plot (for the ticked runs that have the curve)."""
        return dict(self._items)

    def legend_entries(self) -> dict[str, str]:
        """Run -> the legend's text for it (its name, then what differs)."""
        return {run: self._legend_text(run) for run in self._items}

    # ------------------------------------------------------------------ internals

    def _metrics_text(self, metrics: dict[str, float]) -> str:
        parts = []
        for key, title in HEADLINE_METRICS.items():
            if key in metrics and len(parts) < _HEADLINES_SHOWN:
                value = _number(metrics[key])
                if key == "modes_captured" and "num_modes" in metrics:
                    value += f"/{metrics['num_modes']:.0f}"
                parts.append(f"{_tr(title)} {value}")
        return " · ".join(parts)

    def _update_empty_text(self, has_runs: bool) -> None:
        self.empty_label.setText(
            ""
            if has_runs
            else self.tr(
                "No runs in this folder yet. Runs appear here when the window trains, or "
                "after 'ganlab train --out FOLDER/NAME'; pick another folder with Folder…"
            )
        )
        self.empty_label.setVisible(not has_runs)
        self.table.setVisible(has_runs)

    def _forget_unticked(self, ticked: list[str]) -> None:
        for run in list(self._curves):
            if run not in ticked:
                del self._curves[run]
        for run in list(self._colors):
            if run not in ticked:
                del self._colors[run]
        for run in ticked:
            if run not in self._colors:
                used = set(self._colors.values())
                self._colors[run] = next(i for i in range(len(used) + 1) if i not in used)
        self._update_curve_box()
        self._redraw()

    def _on_table_item_changed(self, _item: QTableWidgetItem | None) -> None:
        now = self.ticked()
        self._forget_unticked(now)
        self.selection_changed.emit(now)

    def _on_folder_box_activated(self, _index: int) -> None:
        self.folders_changed.emit(self.folders())

    def _on_browse_button_clicked(self) -> None:
        start = self.folders()[0] if self.folders() else ""
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of runs"), start)
        if not folder:
            return
        index = self.folder_box.findText(folder)
        if index < 0:
            self.folder_box.addItem(folder, [folder])
            index = self.folder_box.count() - 1
        self.folder_box.setCurrentIndex(index)
        self.folders_changed.emit(self.folders())

    def _on_log_check_toggled(self, on: bool) -> None:
        self.plot.setLogMode(x=False, y=on)

    def _update_curve_box(self) -> None:
        names: dict[str, None] = {}
        for curves in self._curves.values():
            names.update(dict.fromkeys(n for n, (x, _y) in curves.items() if len(x)))
        current = self.current_curve() or DEFAULT_CURVE
        ordered = [n for n in names if not n.startswith(METRIC_PREFIX)]
        ordered += [n for n in names if n.startswith(METRIC_PREFIX)]
        if [self.curve_box.itemData(i) for i in range(self.curve_box.count())] == ordered:
            return
        self.curve_box.blockSignals(True)
        self.curve_box.clear()
        for name in ordered:
            self.curve_box.addItem(curve_title(name), name)
        index = self.curve_box.findData(current)
        self.curve_box.setCurrentIndex(max(index, 0))
        self.curve_box.blockSignals(False)

    def _legend_text(self, run: str) -> str:
        differs = self._labels.get(run, "")
        name = self._names.get(run, run)
        return f"{name} · {differs}" if differs else name

    def _redraw(self) -> None:
        for item in self._items.values():
            self.plot.removeItem(item)
        self._items = {}
        name = self.current_curve()
        lines = []
        smooth = self.smooth_check.isChecked()
        for run in self.ticked():
            curves = self._curves.get(run)
            if name is None or curves is None or name not in curves:
                continue
            x, y = curves[name]
            if not len(x):
                continue
            if smooth and not name.startswith(METRIC_PREFIX):
                y = ema_extend(y, SMOOTHING)[0]
            index = self._colors.get(run, 0)
            color = RUN_COLORS[index % len(RUN_COLORS)]
            dash = _DASHES[(index // len(RUN_COLORS)) % len(_DASHES)]
            text = self._legend_text(run)
            symbol = "o" if name.startswith(METRIC_PREFIX) else None
            item = self.plot.plot(
                np.asarray(x, dtype=np.float64),
                np.asarray(y, dtype=np.float64),
                pen=pg.mkPen(color, width=2, style=dash),
                symbol=symbol,
                symbolSize=5,
                symbolBrush=color,
                symbolPen=None,
                name=text,
            )
            self._items[run] = item
            pattern = {
                Qt.PenStyle.SolidLine: "━━━",
                Qt.PenStyle.DashLine: "━ ━",
                Qt.PenStyle.DotLine: "┅┅┅",
            }[dash]
            lines.append(
                f'<span style="color:{color}; font-weight:bold">{pattern}</span>&nbsp;'
                f"{html.escape(text)}"
            )
        if lines:
            self.legend_label.setText("<br>".join(lines))
        elif self._colors:
            self.legend_label.setText(self.tr("The ticked runs have no data for this yet."))
        else:
            self.legend_label.setText(self.tr("Tick runs to overlay their curves."))


def _datetime(seconds: float) -> QDateTime:
    """A run's last write as Qt's date and time (invalid for 0: unknown)."""
    return QDateTime.fromSecsSinceEpoch(int(seconds)) if seconds > 0 else QDateTime()
