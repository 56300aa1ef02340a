"""The Runs panel's reader: lists the runs of its folders and reads the ticked ones.

Owns one :class:`ganlab.kernel.runs.RunCurves` per ticked run (kept while ticked, so a
refresh reads only what a run still training wrote since) and feeds the passive
:class:`ganlab.widgets.runs_view.RunsPanel` plain data. GUI thread: listing reads only
each run's experiment.toml and the end of its metrics.jsonl, and curves are read
incrementally and kept bounded (see the kernel module), so ~50 runs take milliseconds.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Slot

from ganlab.kernel import i18n
from ganlab.kernel.config import ExperimentConfig
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES, Registry
from ganlab.kernel.rundir import window_runs_folder
from ganlab.kernel.runs import RunCurves, differing_settings, experiment_of, list_runs
from ganlab.widgets.runs_view import RunsPanel


def default_folders() -> list[str]:
    """The window's own runs folder, then ``./runs`` (where ``ganlab train`` writes by
    default) when it exists."""
    folders = [str(window_runs_folder())]
    here = Path("runs")
    if here.is_dir():
        folders.append(str(here.resolve()))
    return folders


def _title(registry: Registry[Any], name: str) -> str:
    """A registered entry's title in the user's language; an unknown name as it is."""
    try:
        return i18n._(registry.get(name).title)
    except GanlabError:
        return name


class RunsCompare(QObject):
    """Connects a :class:`RunsPanel` to the run directories of its folders.

    Parameters
    ----------
    panel
        The panel to feed.
    folders
        The folders the picker offers (default: :func:`default_folders`).
    parent
        The owner (default: ``panel``, so the reader lives as long as its panel).
    """

    def __init__(
        self, panel: RunsPanel, folders: list[str] | None = None, parent: QObject | None = None
    ):
        super().__init__(parent if parent is not None else panel)
        self.panel = panel
        self._readers: dict[str, RunCurves] = {}
        self._experiments: dict[str, ExperimentConfig | dict[str, Any]] = {}
        self._problems: dict[str, str] = {}
        self._labels: dict[str, str] = {}  # the legend texts the panel shows
        panel.set_folders(folders if folders is not None else default_folders())
        panel.folders_changed.connect(self._on_panel_folders_changed)
        panel.refresh_requested.connect(self._on_panel_refresh_requested)
        panel.selection_changed.connect(self._on_panel_selection_changed)

    def refresh(self) -> None:
        """List the folders' runs again and read what the ticked runs wrote since."""
        # The family and loss by their registry titles, in the user's language.
        rows = [
            dataclasses.replace(
                r, family=_title(MODEL_FAMILIES, r.family), loss=_title(LOSSES, r.loss)
            )
            for r in list_runs(self.panel.folders())
        ]
        self.panel.set_runs(rows)  # may change the ticks
        self._read(self.panel.ticked())

    @Slot(list)
    def _on_panel_folders_changed(self, _folders: list) -> None:
        self.refresh()

    @Slot()
    def _on_panel_refresh_requested(self) -> None:
        self.refresh()

    @Slot(list)
    def _on_panel_selection_changed(self, ticked: list) -> None:
        self._read([str(t) for t in ticked])

    def _read(self, ticked: list[str]) -> None:
        for run in list(self._readers):
            if run not in ticked:
                del self._readers[run]
                self._experiments.pop(run, None)
                self._problems.pop(run, None)
        fresh_curves: dict[str, dict[str, tuple[Any, Any]]] = {}
        for run in ticked:
            reader = self._readers.get(run)
            fresh = reader is None
            if reader is None:
                reader = self._readers[run] = RunCurves(run)
            try:
                changed = reader.update()
            except GanlabError as exc:  # no metrics.jsonl yet: listed, no curves
                self._problems[run] = str(exc)
                self._experiments.setdefault(run, experiment_of(run, None))
                continue
            summary = reader.skipped_summary()
            if summary:
                self._problems[run] = summary
            else:
                self._problems.pop(run, None)
            if changed or fresh:
                fresh_curves[run] = {n: reader.curve(n) for n in reader.names()}
                self._experiments[run] = experiment_of(run, reader.segment_config)
        differs = differing_settings([self._experiments.get(r, {}) for r in ticked])
        labels = {r: ", ".join(d) for r, d in zip(ticked, differs, strict=True)}
        if fresh_curves or labels != self._labels:
            self.panel.show_runs(fresh_curves, labels)
        self._labels = labels
        self.panel.set_problem("\n".join(self._problems[r] for r in ticked if r in self._problems))
