"""The Runs panel on real runs: two short headless trainings overlaid, legend naming what
differs; the window's hidden Runs dock from the View menu."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from ganlab.app.runs_compare import RunsCompare
from ganlab.cli import main
from ganlab.kernel.registry import LOSSES, MODEL_FAMILIES
from ganlab.kernel.rundir import read_history, window_runs_folder
from ganlab.widgets.runs_view import RUN_COLORS, RunsPanel
from tests.test_cli import write_tiny_experiment

STEPS = 30


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two real runs of the tiny ring experiment: D's learning rate 2e-4 and, with the
    hinge loss, 2e-3."""
    folder = tmp_path_factory.mktemp("runs")
    made = []
    for name, extra in (
        ("slow", "[optimizer_d]\nlr = 0.0002\n"),
        ("fast", '[optimizer_d]\nlr = 0.002\n[loss]\nname = "hinge"\n'),
    ):
        exp = write_tiny_experiment(folder.parent / f"{name}.toml", extra)
        out = folder / name
        assert main(["train", str(exp), "--steps", str(STEPS), "--out", str(out), "--quiet"]) == 0
        made.append(out)
    return folder, made


@pytest.fixture
def compare(qtbot, two_runs):
    """A Runs panel on the two runs' folder, its runs listed."""
    folder, _runs = two_runs
    panel = RunsPanel()
    qtbot.addWidget(panel)
    compare = RunsCompare(panel, [str(folder)])
    with qtbot.waitSignal(compare.runs_shown):
        compare.refresh()
    panel.resize(900, 700)
    panel.show()
    return compare


@pytest.fixture
def panel(compare):
    return compare.panel


def tick(qtbot, compare, runs):
    """Tick exactly ``runs`` and wait until their curves are shown."""
    with qtbot.waitSignal(compare.runs_shown):
        compare.panel.set_ticked([str(r) for r in runs])


def test_the_panel_lists_both_runs_with_family_loss_and_steps(panel, two_runs):
    _folder, _runs = two_runs
    table = panel.table
    listed = {
        table.item(r, 0).text(): [table.item(r, c).text() for c in (1, 2, 3)]
        for r in range(table.rowCount())
    }
    mlp, ns, hinge = (
        MODEL_FAMILIES.get("mlp").title,
        LOSSES.get("non_saturating").title,
        LOSSES.get("hinge").title,
    )
    assert listed == {"slow": [mlp, ns, str(STEPS)], "fast": [mlp, hinge, str(STEPS)]}
    assert panel.ticked() == []


def test_ticking_both_overlays_their_curves_with_a_legend_naming_what_differs(
    qtbot, compare, panel, two_runs
):
    _folder, (slow, fast) = two_runs
    panel.smooth_check.setChecked(False)  # the plot then holds the runs' own values
    with qtbot.waitSignal(compare.runs_shown):  # once, when both readings are shown
        rows = {panel.table.item(r, 0).text(): r for r in range(panel.table.rowCount())}
        for name in ("slow", "fast"):  # ticked by hand, one by one
            panel.table.item(rows[name], 0).setCheckState(Qt.CheckState.Checked)
    assert panel.set_curve("d_loss")
    plotted = panel.plotted()
    assert set(plotted) == {str(slow), str(fast)}
    for run in (slow, fast):
        history = read_history(run)
        x, y = plotted[str(run)].getData()
        assert len(x) == STEPS
        np.testing.assert_array_equal(x, history.steps)
        np.testing.assert_array_equal(y, history.columns["d_loss"])
    colors = {item.opts["pen"].color().name() for item in plotted.values()}
    assert colors == set(RUN_COLORS[:2])
    assert panel.legend_entries() == {
        str(slow): "slow · loss.name = non_saturating, optimizer_d.lr = 0.0002",
        str(fast): "fast · loss.name = hinge, optimizer_d.lr = 0.002",
    }
    legend = panel.legend_label.text()
    assert "optimizer_d.lr = 0.0002" in legend
    assert "loss.name = hinge" in legend


def test_a_quality_metric_is_offered_and_plotted_at_its_steps(qtbot, compare, panel, two_runs):
    _folder, (slow, fast) = two_runs
    tick(qtbot, compare, [slow, fast])
    assert panel.set_curve("metric:jsd")
    for run in (slow, fast):
        history = read_history(run)
        x, y = panel.plotted()[str(run)].getData()
        np.testing.assert_array_equal(x, history.metric_steps)
        np.testing.assert_array_equal(y, history.metrics["jsd"])


def test_unticking_a_run_takes_its_curve_and_the_differences_away(qtbot, compare, panel, two_runs):
    _folder, (slow, fast) = two_runs
    tick(qtbot, compare, [slow, fast])
    tick(qtbot, compare, [fast])
    assert set(panel.plotted()) == {str(fast)}
    assert panel.legend_entries() == {str(fast): "fast"}


def test_the_runs_dock_is_hidden_until_view_runs_and_lists_the_window_runs(qtbot, window, two_runs):
    import shutil

    _folder, (slow, _fast) = two_runs
    assert window.runs_dock.isHidden()
    action = window.runs_dock.toggleViewAction()
    view_menu = next(
        a.menu() for a in window.menuBar().actions() if a.menu() and action in a.menu().actions()
    )
    assert view_menu is not None
    shutil.copytree(slow, window_runs_folder() / "copied")
    with qtbot.waitSignal(window.runs_compare.runs_shown):
        action.trigger()
    assert window.runs_dock.isVisible()
    table = window.runs_panel.table
    assert "copied" in [table.item(r, 0).text() for r in range(table.rowCount())]


def test_the_panel_and_the_kernel_name_curves_alike():
    from ganlab.kernel import runs
    from ganlab.widgets import runs_view

    assert runs_view.METRIC_PREFIX == runs.METRIC_PREFIX
    assert runs_view.LAYER_SEPARATOR == runs.LAYER_SEPARATOR


def test_a_ticked_run_still_training_is_followed_without_a_refresh(qtbot, two_runs, tmp_path):
    """Rows a run appends while ticked reach its curve and its Steps cell by themselves."""
    import json
    import shutil

    _folder, (slow, _fast) = two_runs
    folder = tmp_path / "runs"
    grow = folder / "growing"
    shutil.copytree(slow, grow)
    panel = RunsPanel()
    qtbot.addWidget(panel)
    compare = RunsCompare(panel, [str(folder)])
    compare.follow_timer.setInterval(20)
    with qtbot.waitSignal(compare.runs_shown):
        compare.refresh()
    panel.show()
    panel.smooth_check.setChecked(False)
    tick(qtbot, compare, [grow])
    assert panel.set_curve("d_loss")
    metrics = grow / "metrics.jsonl"
    rows = [json.loads(line) for line in metrics.read_text(encoding="utf-8").splitlines()]
    last = next(r for r in reversed(rows) if "event" not in r)
    with open(metrics, "a", encoding="utf-8") as fh:
        for step in range(STEPS + 1, STEPS + 6):
            fh.write(json.dumps({**last, "step": step, "d_loss": 10.0 + step}) + "\n")
        fh.write(json.dumps({"event": "metrics", "step": STEPS + 5, "jsd": 0.0123}) + "\n")

    def followed() -> None:
        x, y = panel.plotted()[str(grow)].getData()
        assert x[-1] == STEPS + 5
        assert y[-1] == 10.0 + STEPS + 5

    qtbot.waitUntil(followed, timeout=10_000)
    qtbot.waitUntil(lambda: panel.table.item(0, 3).text() == str(STEPS + 5), timeout=10_000)
    assert "0.0123" in panel.table.item(0, 4).text()  # the Last metrics cell follows too


def test_a_run_that_never_took_a_step_is_not_listed(qtbot, two_runs, tmp_path):
    import shutil

    _folder, (slow, _fast) = two_runs
    folder = tmp_path / "runs"
    shutil.copytree(slow, folder / "trained")
    empty = folder / "opened-and-closed"
    empty.mkdir()
    (empty / "experiment.toml").write_bytes((slow / "experiment.toml").read_bytes())
    (empty / "metrics.jsonl").write_text('{"event": "checkpoint", "step": 0, "segment": 0}\n')
    panel = RunsPanel()
    qtbot.addWidget(panel)
    compare = RunsCompare(panel, [str(folder)])
    with qtbot.waitSignal(compare.runs_shown):
        compare.refresh()
    listed = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert listed == ["trained"]


def test_every_metric_a_toy_run_measures_has_a_title(two_runs):
    """The curve picker names metrics in words, not by their metrics.jsonl keys."""
    import json

    from ganlab.widgets.runs_view import curve_title

    _folder, (slow, _fast) = two_runs
    keys = {
        key
        for line in (slow / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
        if (entry := json.loads(line)).get("event") == "metrics"
        for key in entry
        if key not in ("event", "step", "segment")
    }
    assert "kl_real_fake" in keys
    for key in keys:
        assert key not in curve_title(f"metric:{key}"), key
