"""Session.load_history: a run's recorded past shown as the current segment's curves."""

from __future__ import annotations

import dataclasses
import queue
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ganlab.app import main as app_main
from ganlab.app import session as session_module
from ganlab.app.session import Session
from ganlab.engine.loop import run as run_loop
from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep
from ganlab.kernel.rundir import HISTORY_COLUMNS, history_for_checkpoint, read_history
from tests.conftest import tiny_config
from tests.kernel.test_rundir_history import engine_run

LR_D = 0.01


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> tuple[Path, list[rep.Report]]:
    """A real run: 6 steps, a checkpoint, lr_d -> 0.01, 6 steps, the final checkpoint."""
    run = tmp_path_factory.mktemp("runs") / "run"
    steps = [cmd.Step()] * 6
    reports = engine_run(
        run, [*steps, cmd.SaveCheckpoint(), cmd.SetLearningRate("d", LR_D), *steps]
    )
    return run, reports


def checkpoint(run: Path, step: int) -> Path:
    return run / "checkpoints" / f"step_{step:08d}.pt"


def resumed(ckpt: Path, commands: list[cmd.Command]) -> list[rep.Report]:
    """The real loop resumed from ``ckpt`` (what the window runs for 'open run')."""
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    for c in [*commands, cmd.Stop()]:
        inbox.put(c)
    return list(run_loop(tiny_config(), inbox, resume_from=str(ckpt), start_paused=True))


def started(ckpt: Path, commands: Sequence[cmd.Command] = ()) -> tuple[Session, list[rep.Report]]:
    """A session whose segment started from ``ckpt``, and the loop's later reports."""
    reports = resumed(ckpt, list(commands))
    info = reports[0]
    assert isinstance(info, rep.SegmentStarted)
    assert info.reason == "checkpoint"
    session = Session(config=tiny_config())
    session.start_segment(info)
    session.dirty.clear()
    return session, reports[1:]


def test_loading_a_checkpoints_history_fills_curves_markers_and_metrics(recorded):
    run, _ = recorded
    session, _ = started(checkpoint(run, 12))
    history = history_for_checkpoint(checkpoint(run, 12))
    assert history is not None
    session.load_history(history)

    steps, columns = session.series()
    np.testing.assert_array_equal(steps, np.arange(1, 13))
    assert set(columns) == set(HISTORY_COLUMNS)
    for name in HISTORY_COLUMNS:
        np.testing.assert_array_equal(columns[name], history.columns[name])
    assert session.info is not None
    for net in ("d", "g"):
        assert session.info.layer_names[net] == history.layer_names[net]
        np.testing.assert_array_equal(session.layer_norms[net].view(), history.layer_norms[net])
    old = tiny_config().optimizer_d.lr
    assert session.markers == [(6, f"lr_d {old:.3g}→{LR_D:.3g}")]
    metric_steps, metrics = session.metric_series()
    np.testing.assert_array_equal(metric_steps, history.metric_steps)
    np.testing.assert_array_equal(metrics["jsd"], history.metrics["jsd"])
    assert {"curves", "metrics"} <= session.dirty


def test_restored_markers_read_like_the_live_ones(recorded):
    run, reports = recorded
    live = Session(config=tiny_config())
    live.start_segment(reports[0])  # the original run's own start
    for report in reports:
        if isinstance(report, rep.SettingChanged):
            live.add_marker(report)
    session, _ = started(checkpoint(run, 12))
    session.load_history(read_history(run))
    assert session.markers == live.markers


def test_an_earlier_checkpoint_restores_only_its_own_past(recorded):
    run, _ = recorded
    session, _ = started(checkpoint(run, 6))
    history = history_for_checkpoint(checkpoint(run, 6))
    assert history is not None
    session.load_history(history)
    np.testing.assert_array_equal(session.series()[0], np.arange(1, 7))
    assert session.markers == []  # the change came after this checkpoint was written


def test_rows_past_the_segments_start_are_not_its_past(recorded):
    run, _ = recorded
    session, _ = started(checkpoint(run, 6))
    session.load_history(read_history(run))  # the whole run, up to step 12
    np.testing.assert_array_equal(session.series()[0], np.arange(1, 7))


def test_live_rows_continue_the_restored_curves(recorded):
    run, _ = recorded
    session, later = started(checkpoint(run, 12), [cmd.Step()] * 3)
    history = history_for_checkpoint(checkpoint(run, 12))
    assert history is not None
    session.load_history(history)
    for report in later:
        if isinstance(report, rep.ScalarBatch):
            session.add_scalars(report)
    np.testing.assert_array_equal(session.series()[0], np.arange(1, 16))


def test_live_rows_that_came_first_stay_after_the_history(recorded):
    run, _ = recorded
    session, later = started(checkpoint(run, 12), [cmd.Step()] * 3)
    for report in later:
        if isinstance(report, rep.ScalarBatch):
            session.add_scalars(report)
    live_loss = session.series()[1]["d_loss"].copy()
    history = history_for_checkpoint(checkpoint(run, 12))
    assert history is not None
    session.load_history(history)
    steps, columns = session.series()
    np.testing.assert_array_equal(steps, np.arange(1, 16))
    np.testing.assert_array_equal(columns["d_loss"][12:], live_loss)
    assert len(session.layer_norms["d"].view()) == 15


def test_a_long_history_keeps_only_the_newest_rows(recorded, monkeypatch):
    run, _ = recorded
    monkeypatch.setattr(session_module, "HISTORY", 5)
    session, _ = started(checkpoint(run, 12))
    history = history_for_checkpoint(checkpoint(run, 12))
    assert history is not None
    session.load_history(history)
    steps, columns = session.series()
    np.testing.assert_array_equal(steps, np.arange(8, 13))
    np.testing.assert_array_equal(columns["g_loss"], history.columns["g_loss"][-5:])
    assert len(session.layer_norms["g"].view()) == 5


def test_restored_diagnoses_belong_to_the_current_segment(recorded):
    run, _ = recorded
    session, _ = started(checkpoint(run, 12))
    history = history_for_checkpoint(checkpoint(run, 12))
    assert history is not None
    found = rep.Diagnosis(0, 4, "discriminator_wins", "warning", "D is winning.")
    late = rep.Diagnosis(0, 13, "discriminator_wins", "warning", "after the checkpoint")
    session.load_history(dataclasses.replace(history, diagnoses=(found, late)))
    assert session.diagnoses == [dataclasses.replace(found, segment=session.segment)]


def test_loading_before_a_segment_started_is_refused(recorded):
    run, _ = recorded
    with pytest.raises(ValueError, match="start_segment first"):
        Session(config=tiny_config()).load_history(read_history(run))


def test_a_window_on_a_run_gets_the_history_of_its_checkpoint(recorded):
    run, _ = recorded
    history = app_main.run_history(str(run), str(checkpoint(run, 12)))
    assert history is not None
    assert history.step == 12
    np.testing.assert_array_equal(history.steps, np.arange(1, 13))


def test_a_window_without_a_checkpoint_or_run_gets_no_history(recorded, tmp_path):
    run, _ = recorded
    assert app_main.run_history(str(run), None) is None  # starts over at step 0
    assert app_main.run_history(None, str(checkpoint(run, 12))) is None
    assert app_main.run_history(str(tmp_path), str(checkpoint(run, 12))) is None  # not its run
