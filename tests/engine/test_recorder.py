"""The recorder writes a run directory from a real loop's reports; the window's runs folder.

Real runs of a tiny ring experiment into tmp_path, real files; a failing write is made by
putting a folder where a file must go (root may write into a read-only folder).
"""

from __future__ import annotations

import json
import os
import queue
from pathlib import Path

import pytest

from ganlab.engine.loop import run
from ganlab.engine.recorder import Recorder, drive, window_recorder
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.checkpoint import load_checkpoint
from ganlab.kernel.rundir import (
    DATA_DIR_ENV,
    RunDir,
    history_for_checkpoint,
    prune_runs,
    read_history,
    recent_runs,
    window_runs_folder,
)
from tests.conftest import tiny_config


class TickClock:
    """Advances ``dt`` seconds every time it is read: publishing without sleeping."""

    def __init__(self, dt: float = 0.001):
        self.t = 0.0
        self.dt = dt

    def __call__(self) -> float:
        self.t += self.dt
        return self.t


def recorded(recorder: Recorder, commands: list[cmd.Command], **options) -> list[rep.Report]:
    """The real loop, paused so that only ``commands`` act (then Stop), through ``recorder``."""
    config = options.pop("config", tiny_config())
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    for c in [*commands, cmd.Stop()]:
        inbox.put(c)
    loop = run(config, inbox, clock=TickClock(), start_paused=True, recording=True, **options)
    try:
        return list(drive(loop, recorder))
    finally:
        recorder.close()


def played(recorder: Recorder, config: cfg.ExperimentConfig) -> list[rep.Report]:
    """The real loop playing to ``config.loop.steps`` (a headless run), through ``recorder``."""
    loop = run(config, queue.Queue(), clock=TickClock(), recording=True, snapshots=False)
    try:
        return list(drive(loop, recorder))
    finally:
        recorder.close()


def events(run_path: Path, kind: str) -> list[dict]:
    lines = (run_path / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e.get("event") == kind]


def test_a_played_run_gets_its_experiment_rows_and_checkpoints(tmp_path):
    config = tiny_config(steps=40, checkpoint_every=10)
    reports = played(Recorder(RunDir(tmp_path / "run")), config)  # a bare run: no files yet
    out = tmp_path / "run"
    assert cfg.load(out / "experiment.toml") == config
    history = read_history(out)
    assert list(history.steps) == list(range(1, 41))
    assert set(history.layer_names["d"])  # the per-layer norms came with the rows
    saved = [r for r in reports if isinstance(r, rep.CheckpointSaved)]
    assert [r.step for r in saved] == [10, 20, 30, 40]
    assert [Path(r.path).name for r in saved] == [f"step_{s:08d}.pt" for s in (10, 20, 30, 40)]
    assert load_checkpoint(saved[-1].path)["step"] == 40
    at_20 = history_for_checkpoint(out / "checkpoints" / "step_00000020.pt")
    assert at_20 is not None
    assert list(at_20.steps) == list(range(1, 21))


def test_each_checkpoint_state_is_followed_by_its_saved_report(tmp_path):
    config = tiny_config(steps=20, checkpoint_every=10)
    reports = played(Recorder(RunDir.create(tmp_path / "run", config)), config)
    states = [i for i, r in enumerate(reports) if isinstance(r, rep.CheckpointState)]
    assert [reports[i].reason for i in states] == ["every", "every"]  # 20: not twice
    assert [reports[i + 1].step for i in states] == [10, 20]
    assert all(isinstance(reports[i + 1], rep.CheckpointSaved) for i in states)


def test_setting_changes_and_a_reset_are_events_of_the_run(tmp_path):
    grid = tiny_config(source="grid25")
    reports = recorded(
        Recorder(RunDir.create(tmp_path / "run", tiny_config())),
        [cmd.Step()] * 3 + [cmd.SetLearningRate("d", 0.01), cmd.Reset(config=grid), cmd.Step()],
    )
    out = tmp_path / "run"
    [setting] = events(out, "setting")
    assert (setting["step"], setting["key"], setting["new"]) == (3, "optimizer_d.lr", 0.01)
    [reset] = events(out, "reset")
    assert cfg.loads(reset["config"]).data.source == "grid25"
    assert cfg.load(out / "experiment.toml").data.source == "ring8_teaching"  # as it started
    history = read_history(out)  # the segment after the reset: its own rows only
    assert history.segment == 1
    assert list(history.steps) == [1]
    assert [r.step for r in reports if isinstance(r, rep.CheckpointSaved)] == [1]  # at Stop


def test_save_checkpoint_to_a_chosen_file_goes_through_the_recorder(tmp_path):
    mine = tmp_path / "mine.pt"
    reports = recorded(
        Recorder(RunDir.create(tmp_path / "run", tiny_config())),
        [cmd.Step()] * 5 + [cmd.SaveCheckpoint(str(mine))],
    )
    state = next(r for r in reports if isinstance(r, rep.CheckpointState))
    assert (state.path, state.reason, state.step) == (str(mine), "command", 5)
    assert load_checkpoint(mine)["step"] == 5
    assert next(r.path for r in reports if isinstance(r, rep.CheckpointSaved)) == str(mine)
    assert events(tmp_path / "run", "checkpoint")[0]["path"] == str(mine)


def test_a_loop_nothing_records_still_saves_a_chosen_file_and_yields_nothing_local(tmp_path):
    mine = tmp_path / "mine.pt"
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    for c in [cmd.Step(), cmd.SaveCheckpoint(str(mine)), cmd.SaveCheckpoint(None), cmd.Stop()]:
        inbox.put(c)
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    assert not [r for r in reports if r.local_only]
    assert load_checkpoint(mine)["step"] == 1
    errors = [r.message for r in reports if isinstance(r, rep.TrainingError)]
    assert errors == ["No run directory: choose a file to save the checkpoint."]
    assert [r.path for r in reports if isinstance(r, rep.CheckpointSaved)] == [str(mine)]


def test_only_engine_internal_reports_are_local():
    assert rep.CheckpointState.local_only
    assert rep.RunFile.local_only
    assert not rep.Report.local_only
    assert not rep.CheckpointSaved.local_only
    assert not rep.ScalarBatch.local_only


def test_a_checkpoint_that_cannot_be_written_is_an_error_and_training_goes_on(tmp_path):
    blocked = tmp_path / "blocked.pt"
    blocked.mkdir()  # a folder where the file must go
    reports = recorded(
        Recorder(RunDir.create(tmp_path / "run", tiny_config())),
        [cmd.Step()] * 3 + [cmd.SaveCheckpoint(str(blocked))] + [cmd.Step()] * 3,
    )
    [error] = [r for r in reports if isinstance(r, rep.TrainingError)]
    assert str(blocked) in error.message
    assert "could not write the checkpoint" in error.message
    assert "Free some disk space" in error.message
    assert [r.step for r in reports if isinstance(r, rep.CheckpointSaved)] == [6]  # at Stop
    assert list(read_history(tmp_path / "run").steps) == list(range(1, 7))


def test_a_history_that_cannot_be_written_is_said_once_and_training_goes_on(tmp_path):
    run_dir = RunDir.create(tmp_path / "run", tiny_config())
    (run_dir.path / "metrics.jsonl").mkdir()  # every append fails
    reports = recorded(Recorder(run_dir), [cmd.Step()] * 4)
    errors = [r for r in reports if isinstance(r, rep.TrainingError)]
    assert len(errors) == 1  # not once per batch
    assert str(run_dir.path / "metrics.jsonl") in errors[0].message
    assert "Free some disk space" in errors[0].message
    steps = [int(r.steps[-1]) for r in reports if isinstance(r, rep.ScalarBatch)]
    assert steps == [1, 2, 3, 4]  # the loop went on after the failure
    assert load_checkpoint(run_dir.checkpoint_path(4))["step"] == 4


def test_a_run_keeps_only_its_newest_checkpoints_when_bounded(tmp_path):
    config = tiny_config(steps=50, checkpoint_every=10)
    played(Recorder(RunDir.create(tmp_path / "run", config), keep_checkpoints=2), config)
    names = sorted(p.name for p in (tmp_path / "run" / "checkpoints").iterdir())
    assert names == ["step_00000040.pt", "step_00000050.pt"]


def test_the_loop_no_longer_takes_a_run_directory(tmp_path):
    with pytest.raises(TypeError, match="run_dir"):
        run(tiny_config(), queue.Queue(), run_dir=RunDir(tmp_path))  # type: ignore[call-arg]


# ---------------------------------------------------------------------- the window's runs


def fake_run(folder: Path, name: str, size: int, age: int, family: str = "mlp") -> Path:
    """A run directory of ``size`` bytes of checkpoint, last written ``age`` s before now."""
    path = folder / name
    (path / "checkpoints").mkdir(parents=True)
    (path / "experiment.toml").write_text(f'name = "{name}"\n[model]\nfamily = "{family}"\n')
    (path / "metrics.jsonl").write_text(
        '{"step": 7, "segment": 0}\n{"event": "checkpoint", "step": 7, "segment": 0}\n'
    )
    (path / "checkpoints" / "step_00000007.pt").write_bytes(b"\0" * size)
    when = 1_700_000_000 - age
    for p in (path / "experiment.toml", path / "metrics.jsonl", path / "checkpoints"):
        os.utime(p, (when, when))
    return path


def test_recent_runs_are_newest_first_with_their_name_family_and_steps(tmp_path):
    fake_run(tmp_path, "old", 10, age=300)
    fake_run(tmp_path, "new", 10, age=100, family="dcgan")
    fake_run(tmp_path, "middle", 10, age=200)
    (tmp_path / "not-a-run").mkdir()
    listed = recent_runs(tmp_path)
    assert [r.name for r in listed] == ["new", "middle", "old"]
    assert (listed[0].family, listed[0].steps, listed[0].path) == ("dcgan", 7, tmp_path / "new")
    assert [r.name for r in recent_runs(tmp_path, limit=2)] == ["new", "middle"]
    assert recent_runs(tmp_path / "missing") == []


def test_pruning_removes_the_oldest_runs_down_to_the_bound(tmp_path):
    runs = [fake_run(tmp_path, f"run{i}", 1000, age=100 * (5 - i)) for i in range(5)]
    removed = prune_runs(tmp_path, max_bytes=2500)
    assert removed == runs[:3]
    assert [p.exists() for p in runs] == [False, False, False, True, True]


def test_pruning_never_removes_a_kept_run_or_a_folder_that_is_not_a_run(tmp_path):
    oldest = fake_run(tmp_path, "oldest", 1000, age=500)
    other = fake_run(tmp_path, "other", 1000, age=400)
    newest = fake_run(tmp_path, "newest", 1000, age=100)
    mine = tmp_path / "my-photos"
    mine.mkdir()
    (mine / "big.bin").write_bytes(b"\0" * 10_000)
    removed = prune_runs(tmp_path, max_bytes=0, keep={oldest})
    assert set(removed) == {other, newest}
    assert oldest.exists()
    assert (mine / "big.bin").exists()


def test_the_window_runs_live_under_the_data_folder_override(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    assert window_runs_folder() == tmp_path / "data" / "runs"
    stale = fake_run(window_runs_folder(), "stale", 1000, age=1000)
    recorder = window_recorder(tiny_config(), max_bytes=0, keep_checkpoints=1)
    assert not stale.exists()  # pruned before the new run
    assert recorder.path is not None
    assert recorder.path.parent == window_runs_folder()
    recorded(recorder, [cmd.Step()] * 2 + [cmd.SaveCheckpoint()] + [cmd.Step()])
    assert [p.name for p in (recorder.path / "checkpoints").iterdir()] == ["step_00000003.pt"]
    assert [r.path for r in recent_runs(window_runs_folder())] == [recorder.path]


def test_steps_taken_by_hand_while_paused_are_all_kept_in_the_history(tmp_path):
    """A playing run keeps a frame a second; a paused one is stepped by hand, and each
    of those steps is worth a frame of the timeline."""
    from ganlab.kernel.history import History

    recorded(Recorder(RunDir.create(tmp_path / "run", tiny_config())), [cmd.Step()] * 3)
    assert [f.step for f in History(tmp_path / "run").frames()] == [0, 1, 2, 3]


def test_pausing_keeps_the_newest_view_at_once(tmp_path):
    import dataclasses

    from ganlab.kernel.history import History

    reports = recorded(Recorder(RunDir.create(tmp_path / "first", tiny_config())), [])
    start = next(r for r in reports if isinstance(r, rep.SegmentStarted))
    snapshot = next(r for r in reports if isinstance(r, rep.ToySnapshot))
    recorder = Recorder(RunDir.create(tmp_path / "run", tiny_config()))
    recorder.consume(start)
    recorder.consume(rep.StateChanged(start.segment, "playing", 0))
    for step in (5, 6, 7):  # within the pace of a frame a second: 6 and 7 are held
        recorder.consume(dataclasses.replace(snapshot, step=step))
    assert [f.step for f in History(tmp_path / "run").frames()] == [5]
    recorder.consume(rep.StateChanged(start.segment, "paused", 7))
    assert [f.step for f in History(tmp_path / "run").frames()] == [5, 7]  # before any close
    recorder.close()
