"""Reading a run's history back from metrics.jsonl: real runs, damaged files, checkpoints."""

from __future__ import annotations

import json
import queue
import shutil
from pathlib import Path

import numpy as np
import pytest

from ganlab.cli import main
from ganlab.engine.loop import run as run_loop
from ganlab.engine.recorder import Recorder, drive
from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.reports import TERM_COLUMNS
from ganlab.kernel.rundir import (
    HISTORY_COLUMNS,
    RunDir,
    history_for_checkpoint,
    read_history,
)
from tests.conftest import tiny_config


def engine_run(path: Path, commands: list[cmd.Command], config=None) -> list[rep.Report]:
    """Run the real loop (paused, so only ``commands`` act) into a run directory at
    ``path``; ends with Stop, which writes the final checkpoint."""
    config = config or tiny_config()
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    for c in [*commands, cmd.Stop()]:
        inbox.put(c)
    recorder = Recorder(RunDir.create(path, config))
    try:
        return list(drive(run_loop(config, inbox, recording=True, start_paused=True), recorder))
    finally:
        recorder.close()


def lines_of(run: Path) -> list[str]:
    return (run / "metrics.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)


def rows_of(run: Path) -> list[dict]:
    return [json.loads(line) for line in lines_of(run) if '"event"' not in line]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    """``ganlab train --preset ring8 --steps 300`` with a checkpoint every 100 steps."""
    out = tmp_path_factory.mktemp("runs") / "ring8"
    argv = ["train", "--preset", "ring8", "--steps", "300", "--out", str(out), "--quiet"]
    assert main([*argv, "--checkpoint-every", "100", "--device", "cpu"]) == 0
    return out


@pytest.fixture
def run_copy(finished_run, tmp_path) -> Path:
    """A copy of the finished run that a test may damage."""
    return Path(shutil.copytree(finished_run, tmp_path / "copy"))


def test_a_finished_run_reads_every_step_with_its_values(finished_run):
    history = read_history(finished_run)
    assert history.segment == 0
    assert history.step == 300
    assert history.steps.dtype == np.int64
    np.testing.assert_array_equal(history.steps, np.arange(1, 301))
    assert set(history.columns) == set(HISTORY_COLUMNS)
    for name in HISTORY_COLUMNS:  # ring8 updates both networks every step
        assert history.columns[name].dtype == np.float64
        if name in TERM_COLUMNS:  # the MLP GAN's loss has no extra terms: not written
            assert np.isnan(history.columns[name]).all(), name
        else:
            assert np.isfinite(history.columns[name]).all(), name
    row = rows_of(finished_run)[149]
    assert row["step"] == 150
    for name in set(HISTORY_COLUMNS) - set(TERM_COLUMNS):
        assert history.columns[name][149] == row[name]
    assert history.skipped == ()
    assert history.skipped_summary() is None


def test_per_layer_norms_keep_the_layer_order_of_the_file(finished_run):
    history = read_history(finished_run)
    row = rows_of(finished_run)[0]
    for net in ("d", "g"):
        layers = row[f"grad_norm_{net}_layers"]
        assert history.layer_names[net] == tuple(layers)
        assert history.layer_norms[net].shape == (300, len(layers))
        np.testing.assert_array_equal(history.layer_norms[net][0], list(layers.values()))


def test_metric_events_become_metric_series(finished_run):
    history = read_history(finished_run)
    events = [json.loads(line) for line in lines_of(finished_run) if '"event": "metrics"' in line]
    np.testing.assert_array_equal(history.metric_steps, [e["step"] for e in events])
    assert history.metric_steps[-1] == 300
    np.testing.assert_array_equal(history.metrics["jsd"], [e["jsd"] for e in events])


def test_a_run_directory_or_its_metrics_file_reads_the_same(finished_run):
    a = read_history(finished_run)
    b = read_history(finished_run / "metrics.jsonl")
    np.testing.assert_array_equal(a.steps, b.steps)
    np.testing.assert_array_equal(a.columns["d_loss"], b.columns["d_loss"])


def test_a_missing_metrics_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(GanlabError) as info:
        read_history(tmp_path)
    assert f"{tmp_path / 'metrics.jsonl'}: no such file" in str(info.value)


def test_a_live_learning_rate_change_is_a_setting_with_its_step(tmp_path):
    run = tmp_path / "run"
    steps = [cmd.Step()] * 5
    engine_run(run, [*steps, cmd.SetLearningRate("d", 0.01), *steps])
    history = read_history(run)
    np.testing.assert_array_equal(history.steps, np.arange(1, 11))
    (change,) = history.settings
    assert (change.step, change.key, change.new) == (5, "optimizer_d.lr", 0.01)
    assert change.old == tiny_config().optimizer_d.lr
    np.testing.assert_array_equal(history.columns["lr_d"][5:], 0.01)
    assert (history.columns["lr_d"][:5] == change.old).all()


def test_a_cut_off_last_line_is_skipped_and_named_by_its_number(run_copy):
    whole = lines_of(run_copy)
    row = json.dumps(rows_of(run_copy)[0] | {"step": 301})
    with open(run_copy / "metrics.jsonl", "a", encoding="utf-8") as fh:
        fh.write(row[: len(row) // 2])  # killed while writing: no newline
    history = read_history(run_copy)
    np.testing.assert_array_equal(history.steps, np.arange(1, 301))
    assert history.skipped == ((len(whole) + 1, "cut off (the run stopped while writing it)"),)
    summary = history.skipped_summary()
    assert summary is not None
    assert str(run_copy / "metrics.jsonl") in summary
    assert f"line {len(whole) + 1}" in summary


def test_damaged_lines_are_skipped_with_their_line_numbers(run_copy):
    lines = lines_of(run_copy)
    assert not any('"event"' in lines[i] for i in (4, 9, 14))  # three rows
    bad_value = json.loads(lines[9]) | {"d_loss": "lots"}
    step_of_bad_value = bad_value["step"]
    lines[4] = "\x00\x00\x00garbage\n"
    lines[9] = json.dumps(bad_value) + "\n"
    lines[14] = "[1, 2, 3]\n"
    (run_copy / "metrics.jsonl").write_text("".join(lines), encoding="utf-8")
    history = read_history(run_copy)
    assert [n for n, _ in history.skipped] == [5, 10, 15]
    assert history.skipped[0][1] == "not valid JSON"
    assert "'d_loss' is not a number" in history.skipped[1][1]
    assert history.skipped[2][1] == "not a JSON object"
    assert step_of_bad_value not in history.steps
    assert len(history) == 297


def test_a_row_glued_behind_a_cut_off_one_is_read(run_copy):
    # A run killed mid-line, then resumed: its first row follows the partial one.
    lines = lines_of(run_copy)
    rows = [i for i, line in enumerate(lines) if '"event"' not in line]
    cut, glued = rows[100], rows[101]
    lines[cut] = lines[cut][:40] + lines[glued]
    del lines[glued]
    (run_copy / "metrics.jsonl").write_text("".join(lines), encoding="utf-8")
    history = read_history(run_copy)
    assert json.loads(lines[cut][40:])["step"] in history.steps
    assert len(history) == 299
    assert history.skipped[0][0] == cut + 1
    assert "the rest was read" in history.skipped[0][1]


def test_rows_written_again_after_a_resume_replace_the_older_ones(run_copy):
    # A crash after step 200 (checkpoint at 200), then a resume that wrote 151.. again.
    rows = rows_of(run_copy)
    again = [r | {"d_loss": r["d_loss"] + 100.0} for r in rows[150:]]
    text = "".join(json.dumps(r) + "\n" for r in [*rows[:200], *again])
    (run_copy / "metrics.jsonl").write_text(text, encoding="utf-8")
    history = read_history(run_copy)
    np.testing.assert_array_equal(history.steps, np.arange(1, 301))
    assert (history.columns["d_loss"][:150] < 100).all()
    assert (history.columns["d_loss"][150:] > 99).all()


def test_up_to_step_keeps_rows_and_events_at_or_before_it(finished_run):
    history = read_history(finished_run, up_to_step=120)
    np.testing.assert_array_equal(history.steps, np.arange(1, 121))
    assert history.step == 120
    assert (history.metric_steps <= 120).all()
    assert history.layer_norms["d"].shape[0] == 120


def test_only_the_last_segment_is_read_after_a_reset(tmp_path):
    run = tmp_path / "run"
    engine_run(run, [*[cmd.Step()] * 5, cmd.Reset(), *[cmd.Step()] * 3])
    assert any('"event": "reset"' in line for line in lines_of(run))
    history = read_history(run)
    assert history.segment == 1
    np.testing.assert_array_equal(history.steps, [1, 2, 3])
    assert (history.metric_steps <= 3).all()
    first = read_history(run, segment=0)
    np.testing.assert_array_equal(first.steps, [1, 2, 3, 4, 5])


def test_a_run_written_when_segments_were_called_generations_still_reads(tmp_path):
    run = tmp_path / "run"
    engine_run(run, [*[cmd.Step()] * 5, cmd.Reset(), *[cmd.Step()] * 3])
    metrics = run / "metrics.jsonl"
    metrics.write_text(metrics.read_text().replace('"segment":', '"generation":'))
    history = read_history(run)
    assert history.segment == 1
    np.testing.assert_array_equal(history.steps, [1, 2, 3])
    assert "generation" not in history.columns
    np.testing.assert_array_equal(read_history(run, segment=0).steps, [1, 2, 3, 4, 5])


def test_diagnosis_events_are_read_with_their_values(run_copy):
    event = {
        "event": "diagnosis",
        "step": 250,
        "kind": "discriminator_wins",
        "severity": "warning",
        "message": "D is winning.",
        "segment": 0,
        "d_real": 0.99,
        "d_fake": None,
    }
    with open(run_copy / "metrics.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event) + "\n")
    (found,) = read_history(run_copy).diagnoses
    assert (found.step, found.kind, found.severity, found.message) == (
        250,
        "discriminator_wins",
        "warning",
        "D is winning.",
    )
    assert found.values["d_real"] == 0.99
    assert np.isnan(found.values["d_fake"])
    assert read_history(run_copy, up_to_step=200).diagnoses == ()


def test_a_checkpoint_brings_the_history_up_to_its_step(finished_run):
    history = history_for_checkpoint(finished_run / "checkpoints" / "step_00000100.pt")
    assert history is not None
    assert history.step == 100
    np.testing.assert_array_equal(history.steps, np.arange(1, 101))
    full = read_history(finished_run)
    np.testing.assert_array_equal(history.columns["g_loss"], full.columns["g_loss"][:100])


def test_a_checkpoint_before_a_reset_gets_its_own_segment(tmp_path):
    run = tmp_path / "run"
    steps = [cmd.Step()] * 5
    engine_run(run, [*steps, cmd.SaveCheckpoint(), cmd.Reset(), *steps, cmd.Step()])
    before = history_for_checkpoint(run / "checkpoints" / "step_00000005.pt")
    assert before is not None
    assert before.segment == 0
    np.testing.assert_array_equal(before.steps, np.arange(1, 6))
    after = history_for_checkpoint(run / "checkpoints" / "step_00000006.pt")
    assert after is not None
    assert after.segment == 1
    np.testing.assert_array_equal(after.steps, np.arange(1, 7))


def test_a_lone_checkpoint_has_no_history(finished_run, tmp_path):
    lone = tmp_path / "mine.pt"
    shutil.copy(finished_run / "checkpoints" / "step_00000300.pt", lone)
    assert history_for_checkpoint(lone) is None
    bare = tmp_path / "bare" / "checkpoints"
    bare.mkdir(parents=True)
    shutil.copy(lone, bare / "step_00000300.pt")  # no experiment.toml, no metrics.jsonl
    assert history_for_checkpoint(bare / "step_00000300.pt") is None
