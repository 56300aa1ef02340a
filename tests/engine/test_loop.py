"""The training loop generator: commands, cadence, pause, segments. No Qt, no sleeps.

A fake clock that advances a fixed amount at every call stands in for wall time, so the
publishing cadence is deterministic.
"""

from __future__ import annotations

import dataclasses
import json
import queue
from pathlib import Path

import numpy as np
import pytest

from ganlab.engine.loop import drain, run
from ganlab.engine.recorder import Recorder, drive
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from tests.conftest import tiny_config


class TickClock:
    """Advances ``dt`` seconds every time it is read."""

    def __init__(self, dt: float = 0.001):
        self.t = 0.0
        self.dt = dt

    def __call__(self) -> float:
        self.t += self.dt
        return self.t


class RecordingInbox(queue.Queue):
    """A queue that, when the loop blocks on it while empty, feeds the next scripted command.

    Without a script entry it raises, so a loop that blocks unexpectedly fails the test
    instead of hanging.
    """

    def __init__(self, script=()):
        super().__init__()
        self.script = list(script)
        self.blocking_gets = 0

    def get(self, block=True, timeout=None):
        if block and self.empty():
            self.blocking_gets += 1
            if not self.script:
                raise AssertionError("the loop blocked on an empty inbox with nothing scripted")
            self.put(self.script.pop(0))
        return super().get(block, timeout)


def collect_until(gen, inbox, predicate, stop_after=None):
    """Iterate the loop, put Stop once ``predicate(report)`` holds, return all reports."""
    out = []
    stopped = False
    for r in gen:
        out.append(r)
        if not stopped and predicate(r):
            inbox.put(cmd.Stop())
            stopped = True
    return out


def test_drain_keeps_only_the_last_command_per_setting():
    inbox = queue.Queue()
    for c in [
        cmd.SetLearningRate("d", 0.1),
        cmd.Step("d"),
        cmd.SetLearningRate("g", 0.3),
        cmd.SetLearningRate("d", 0.2),
        cmd.Step("g"),
    ]:
        inbox.put(c)
    assert drain(inbox, block=False) == [
        cmd.Step("d"),
        cmd.SetLearningRate("g", 0.3),
        cmd.SetLearningRate("d", 0.2),
        cmd.Step("g"),
    ]


def test_start_reports_segment_then_state():
    inbox = RecordingInbox(script=[cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    assert isinstance(reports[0], rep.SegmentStarted)
    assert reports[0].data_kind == "toy2d"
    assert reports[0].real.shape == (64, 2)
    assert reports[0].real_density.shape == (16, 16)
    assert reports[1] == rep.StateChanged(0, "paused", 0)
    assert reports[-1] == rep.StateChanged(0, "stopped", 0)


def test_scalar_batches_cover_every_step_once_at_a_bounded_rate():
    clock = TickClock(dt=0.001)
    inbox = queue.Queue()
    gen = run(tiny_config(scalar_hz=30.0), inbox, clock=clock)
    reports = collect_until(
        gen, inbox, lambda r: isinstance(r, rep.ScalarBatch) and r.steps[-1] >= 300
    )
    batches = [r for r in reports if isinstance(r, rep.ScalarBatch)]
    steps = np.concatenate([b.steps for b in batches])
    assert np.array_equal(steps, np.arange(1, len(steps) + 1))  # every step, once, in order
    assert len(batches) < len(steps) / 5  # batched, not one report per step
    assert len(batches) <= clock.t * 30.0 + 2  # at most scalar_hz batches per second
    for b in batches:
        assert set(b.values) == set(rep.SCALAR_COLUMNS)
        assert np.isfinite(b.values["d_loss"]).all()
        assert b.layer_norms["d"].shape[0] == len(b)


def test_snapshots_wait_for_acknowledgement():
    inbox = queue.Queue()
    gen = run(tiny_config(snapshot_hz=100.0), inbox, clock=TickClock(0.01), snapshot_ack=True)
    reports = collect_until(
        gen, inbox, lambda r: isinstance(r, rep.ScalarBatch) and r.steps[-1] >= 100
    )
    snaps = [r for r in reports if isinstance(r, rep.ToySnapshot)]
    assert len(snaps) == 1  # nobody acknowledged the first one

    inbox = queue.Queue()
    gen = run(tiny_config(snapshot_hz=100.0), inbox, clock=TickClock(0.01), snapshot_ack=True)
    acked = []
    for r in gen:
        acked.append(r)
        if isinstance(r, rep.ToySnapshot):
            inbox.put(cmd.SnapshotTaken())
        if isinstance(r, rep.ScalarBatch) and r.steps[-1] >= 100:
            inbox.put(cmd.Stop())
    assert len([r for r in acked if isinstance(r, rep.ToySnapshot)]) > 3


def test_toy_snapshot_has_fixed_samples_field_motion_and_manifold():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    snap = next(r for r in reports if isinstance(r, rep.ToySnapshot))
    assert snap.fake.shape == (64, 2)
    assert snap.fake_motion.shape == (64, 2)
    assert snap.field.shape == (16, 16)
    assert ((snap.field >= 0) & (snap.field <= 1)).all()  # probabilities
    assert snap.manifold.shape == (21, 21, 2)


def test_fixed_noise_keeps_sample_identity_across_snapshots():
    """D-only steps leave G alone, so each displayed fake point is the same point."""
    inbox = RecordingInbox(script=[cmd.Step("d"), cmd.Step("d"), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    snaps = [r for r in reports if isinstance(r, rep.ToySnapshot)]
    assert len(snaps) >= 2
    np.testing.assert_array_equal(snaps[0].fake, snaps[-1].fake)  # D-only steps: G unchanged


def test_pause_blocks_on_the_inbox_and_still_answers_sample_requests():
    z = np.zeros((3, 2), dtype=np.float32)
    inbox = RecordingInbox(
        script=[cmd.RequestSamples(7, z=z), cmd.RequestSamples(8, n=5), cmd.Stop()]
    )
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    answers = [r for r in reports if isinstance(r, rep.SamplesReady)]
    assert [a.request_id for a in answers] == [7, 8]
    assert answers[0].samples.shape == (3, 2)
    assert np.allclose(answers[0].samples, answers[0].samples[0])  # same z, same point
    assert answers[1].samples.shape == (5, 2)
    assert inbox.blocking_gets == 3  # it waited each time instead of spinning
    assert not any(isinstance(r, rep.ScalarBatch) for r in reports)  # no training happened


def test_a_panel_request_to_a_family_without_views_is_refused_and_the_loop_goes_on():
    inbox = RecordingInbox(script=[cmd.RequestPanel(3, "sketch", {}), cmd.Step("both"), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    errors = [r for r in reports if isinstance(r, rep.TrainingError)]
    assert len(errors) == 1
    assert "Panel request refused" in errors[0].message
    assert "mlp" in errors[0].message
    assert not any(isinstance(r, rep.PanelAnswer) for r in reports)
    assert any(isinstance(r, rep.ScalarBatch) for r in reports)  # the step still ran


def test_plain_families_report_no_loss_terms_and_write_none():
    inbox = RecordingInbox(script=[cmd.Step("both"), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    (batch,) = [r for r in reports if isinstance(r, rep.ScalarBatch)]
    for term in rep.TERM_COLUMNS:
        assert np.isnan(batch.values[term]).all()
    row = batch.rows()[0]
    assert not set(rep.TERM_COLUMNS) & set(row)  # metrics.jsonl rows stay as they were
    assert row["d_loss"] is not None


def test_step_while_paused_runs_exactly_one_update_and_publishes():
    inbox = RecordingInbox(script=[cmd.Step("both"), cmd.Step("g"), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    batches = [r for r in reports if isinstance(r, rep.ScalarBatch)]
    assert [list(b.steps) for b in batches] == [[1], [2]]
    assert batches[1].which == ("g",)
    assert np.isnan(batches[1].values["d_loss"][0])  # D did not update in a G-only step
    assert np.isfinite(batches[1].values["g_loss"][0])


def test_learning_rate_change_is_applied_and_reported_once():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    inbox.put(cmd.SetLearningRate("d", 0.1))
    inbox.put(cmd.SetLearningRate("d", 0.02))
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    changes = [r for r in reports if isinstance(r, rep.SettingChanged)]
    assert [(c.key, c.new) for c in changes] == [("optimizer_d.lr", 0.02)]
    batch = next(r for r in reports if isinstance(r, rep.ScalarBatch))
    assert batch.lrs["d"][0] == 0.02


def test_reset_starts_a_new_segment():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Reset(seed=5), cmd.Step(), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    starts = [r for r in reports if isinstance(r, rep.SegmentStarted)]
    assert [s.segment for s in starts] == [0, 1]
    assert starts[1].reason == "reset"
    batches = [r for r in reports if isinstance(r, rep.ScalarBatch)]
    assert [(b.segment, int(b.steps[0])) for b in batches] == [(0, 1), (1, 1)]


def test_bad_live_setting_is_reported_not_raised():
    inbox = RecordingInbox(script=[cmd.Stop()])
    inbox.put(cmd.SetLearningRate("d", -1.0))
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    errors = [r for r in reports if isinstance(r, rep.TrainingError)]
    assert len(errors) == 1
    assert "optimizer_d.lr" in errors[0].message


def test_unbuildable_config_is_reported_and_the_loop_waits_for_a_fix():
    bad = tiny_config(source="csv_points")  # no path given
    good = tiny_config()
    inbox = RecordingInbox(script=[cmd.ApplyConfig(good), cmd.Step(), cmd.Stop()])
    reports = list(run(bad, inbox, clock=TickClock(), start_paused=True))
    assert isinstance(reports[0], rep.TrainingError)
    assert not reports[0].recoverable
    assert any(isinstance(r, rep.SegmentStarted) for r in reports)
    assert any(isinstance(r, rep.ScalarBatch) for r in reports)


def test_steps_limit_finishes_the_run():
    reports = list(run(tiny_config(steps=25), queue.Queue(), clock=TickClock()))
    assert reports[-1] == rep.StateChanged(0, "finished", 25)
    steps = np.concatenate([r.steps for r in reports if isinstance(r, rep.ScalarBatch)])
    assert steps[-1] == 25


def test_nan_pauses_training_and_restores_the_last_good_state():
    import ganlab.engine.loop as loop_module

    inbox = queue.Queue()
    sgd = cfg.OptimizerConfig(name="sgd", lr=0.01)
    config = dataclasses.replace(tiny_config(), optimizer_d=sgd, optimizer_g=sgd)
    gen = run(config, inbox, clock=TickClock(0.05))
    reports = []
    poisoned = False
    for r in gen:
        reports.append(r)
        if (
            isinstance(r, rep.ScalarBatch)
            and not poisoned
            and r.steps[-1] > loop_module.GOOD_STATE_EVERY
        ):
            inbox.put(cmd.SetLearningRate("g", 10.0))
            inbox.put(cmd.SetLearningRate("d", 10.0))
            poisoned = True
        if isinstance(r, rep.TrainingError):
            inbox.put(cmd.Stop())
        if isinstance(r, rep.ScalarBatch) and r.steps[-1] > 5000:
            pytest.fail("lr 10 with Adam did not diverge")
    error = next(r for r in reports if isinstance(r, rep.TrainingError))
    # Exploding values pause before they become NaN (as the README says); either way the
    # last good state, from before the learning rates were raised, comes back.
    assert "paused" in error.message
    assert "restored" in error.message
    diagnosis = next(r for r in reports if isinstance(r, rep.Diagnosis))
    assert diagnosis.kind in ("exploding", "non_finite")
    effect = next(r for r in reports[reports.index(error) :] if isinstance(r, rep.ConfigInEffect))
    assert cfg.loads(effect.config_toml).optimizer_d.lr == 0.01
    assert any(isinstance(r, rep.StateChanged) and r.state == "paused" for r in reports)
    assert not any(isinstance(r, rep.ScalarBatch) and r.steps[0] > error.step for r in reports)


def _raise_learning_rates_to_10_after(step: int) -> tuple[int, rep.TrainingError]:
    """Train tiny SGD networks, set both learning rates to 10 after ``step``; return the
    step of that change and the error the blow-up produced."""
    inbox = queue.Queue()
    sgd = cfg.OptimizerConfig(name="sgd", lr=0.01)
    config = dataclasses.replace(tiny_config(), optimizer_d=sgd, optimizer_g=sgd)
    changed_at = None
    for r in run(config, inbox, clock=TickClock(0.05)):
        if isinstance(r, rep.ScalarBatch) and changed_at is None and r.steps[-1] >= step:
            changed_at = int(r.steps[-1])
            inbox.put(cmd.SetLearningRate("g", 10.0))
            inbox.put(cmd.SetLearningRate("d", 10.0))
        if isinstance(r, rep.TrainingError):
            inbox.put(cmd.Stop())
            assert changed_at is not None
            return changed_at, r
        if isinstance(r, rep.ScalarBatch) and r.steps[-1] > 5000:
            pytest.fail("lr 10 did not diverge")
    pytest.fail("the loop ended without an error")


def test_a_blow_up_right_after_a_live_change_goes_back_to_the_state_before_it():
    """Trained under settled settings, then a learning rate of 10: the rollback lands on
    the step of the change, not on the segment's start (nor on an older candidate)."""
    import ganlab.engine.loop as loop_module

    changed_at, error = _raise_learning_rates_to_10_after(120)
    assert changed_at < loop_module.GOOD_STATE_EVERY  # no periodic good state yet
    assert f"The last good state (step {changed_at})" in error.message


def test_a_live_change_before_the_settings_settled_keeps_the_older_good_state():
    import ganlab.engine.loop as loop_module

    changed_at, error = _raise_learning_rates_to_10_after(5)
    assert changed_at < loop_module.SETTLED_STEPS  # too soon to count as a good state
    assert "The last good state (step 0)" in error.message


def test_one_dimensional_snapshot_carries_a_normalised_generated_density():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(
        run(tiny_config(source="gaussian1d"), inbox, clock=TickClock(), start_paused=True)
    )
    start = next(r for r in reports if isinstance(r, rep.SegmentStarted))
    snap = next(r for r in reports if isinstance(r, rep.ToySnapshot))
    (x,) = start.grid_axes
    assert snap.field.shape == x.shape
    mass = np.trapezoid(snap.fake_density, x)
    assert 0.5 < mass <= 1.01  # most of p_g inside the plotted range, never more than all
    assert np.trapezoid(start.real_density, x) == pytest.approx(1.0, abs=0.02)


def test_image_snapshot_projects_real_and_fake_into_one_fixed_space():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(
        run(
            tiny_config(source="shapes", family="dcgan"),
            inbox,
            clock=TickClock(),
            start_paused=True,
        )
    )
    start = next(r for r in reports if isinstance(r, rep.SegmentStarted))
    snap = next(r for r in reports if isinstance(r, rep.ImageSnapshot))
    assert start.real_projection.shape == (64, 2)
    assert snap.fake_projection.shape == (len(snap.d_fake), 2)
    assert snap.fake.dtype == np.uint8
    assert snap.fake.shape == (64, 28, 28, 1)


def test_load_checkpoint_starts_a_new_segment_at_the_saved_step(tmp_path):
    path = str(tmp_path / "c.pt")
    inbox = RecordingInbox(
        script=[
            cmd.Step(),
            cmd.Step(),
            cmd.SaveCheckpoint(path),
            cmd.Step(),
            cmd.LoadCheckpoint(path),
            cmd.Step(),
            cmd.Stop(),
        ]
    )
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    starts = [r for r in reports if isinstance(r, rep.SegmentStarted)]
    assert [(s.segment, s.step, s.reason) for s in starts] == [
        (0, 0, "start"),
        (1, 2, "checkpoint"),
    ]
    last = [r for r in reports if isinstance(r, rep.ScalarBatch)][-1]
    assert (last.segment, int(last.steps[0])) == (1, 3)


def test_missing_checkpoint_is_reported_and_training_goes_on(tmp_path):
    inbox = RecordingInbox(
        script=[cmd.LoadCheckpoint(str(tmp_path / "nope.pt")), cmd.Step(), cmd.Stop()]
    )
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    assert any(isinstance(r, rep.TrainingError) and "nope.pt" in r.message for r in reports)
    assert any(isinstance(r, rep.ScalarBatch) for r in reports)


def test_a_manual_step_publishes_toy_metrics():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    metrics = [r for r in reports if isinstance(r, rep.MetricsReport)]
    assert len(metrics) == 1
    values = metrics[0].values
    assert 0.0 <= values["jsd"] <= np.log(2) + 1e-9
    assert values["num_modes"] == 8  # ring8_teaching is a mixture: mode coverage too
    assert 0 <= values["modes_captured"] <= 8
    assert "d_bound" in values  # a probability loss


def test_metrics_are_published_by_the_clock_while_playing():
    inbox = queue.Queue()
    gen = run(tiny_config(), inbox, clock=TickClock(0.01))
    reports = collect_until(gen, inbox, lambda r: isinstance(r, rep.MetricsReport) and r.step > 100)
    metrics = [r for r in reports if isinstance(r, rep.MetricsReport)]
    steps = [m.step for m in metrics]
    assert len(metrics) >= 2
    assert steps == sorted(steps)


def test_image_experiments_publish_no_toy_metrics():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(
        run(
            tiny_config(source="shapes", family="dcgan"),
            inbox,
            clock=TickClock(),
            start_paused=True,
        )
    )
    assert not any(isinstance(r, rep.MetricsReport) for r in reports)


def test_a_saturating_loss_against_a_strong_d_is_diagnosed_and_logged(tmp_path):
    from ganlab.kernel.rundir import RunDir

    config = tiny_config(source="gaussian1d", loss="minimax", k_d=5, steps=400, batch_size=64)
    config = cfg.with_value(config, "data.sigma", 0.1)
    config = cfg.with_value(config, "optimizer_d.lr", 3e-2)
    config = cfg.with_value(config, "optimizer_g.lr", 1e-6)
    recorder = Recorder(RunDir.create(tmp_path / "run", config))
    loop = run(config, queue.Queue(), clock=TickClock(0.001), recording=True, snapshots=False)
    reports = list(drive(loop, recorder))
    recorder.close()
    kinds = {r.kind for r in reports if isinstance(r, rep.Diagnosis)}
    assert "vanishing_generator" in kinds
    events = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    logged = [e for e in events if e.get("event") == "diagnosis"]
    assert {e["kind"] for e in logged} == kinds
    assert all(e["message"] for e in logged)


def test_a_healthy_run_raises_no_diagnosis():
    reports = list(
        run(tiny_config(steps=300), queue.Queue(), clock=TickClock(0.001), snapshots=False)
    )
    assert not [r for r in reports if isinstance(r, rep.Diagnosis)]


def test_evaluation_samples_are_answered_while_paused():
    inbox = RecordingInbox(script=[cmd.RequestEvaluationSamples(3, n=40), cmd.Stop()])
    reports = list(
        run(
            tiny_config(source="shapes", family="dcgan"),
            inbox,
            clock=TickClock(),
            start_paused=True,
        )
    )
    answer = next(r for r in reports if isinstance(r, rep.EvaluationSamples))
    assert answer.request_id == 3
    assert answer.real.shape == answer.fake.shape == (40, 28, 28, 1)
    assert answer.real.dtype == answer.fake.dtype == np.uint8
    assert answer.source == "shapes"


def test_evaluation_of_toy_data_is_refused_with_a_message():
    inbox = RecordingInbox(script=[cmd.RequestEvaluationSamples(1, n=10), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    assert any(isinstance(r, rep.TrainingError) and "image" in r.message for r in reports)


def test_at_the_step_limit_a_window_loop_pauses_and_stays_alive():
    """Issue 9, item 2: the window's loop pauses at loop.steps; it does not end."""
    inbox = RecordingInbox(script=[cmd.Step(), cmd.SetLearningRate("d", 0.01), cmd.Stop()])
    reports = list(run(tiny_config(steps=25), inbox, clock=TickClock(), at_limit="pause"))
    states = [r for r in reports if isinstance(r, rep.StateChanged)]
    assert rep.StateChanged(0, "finished", 25) in states
    assert inbox.blocking_gets >= 1  # it waited for the user instead of returning
    # Step and a live setting still work after the limit.
    steps = np.concatenate([r.steps for r in reports if isinstance(r, rep.ScalarBatch)])
    assert steps[-1] == 26
    assert any(isinstance(r, rep.SettingChanged) and r.key == "optimizer_d.lr" for r in reports)
    assert states[-1].state == "stopped"


def test_play_after_the_step_limit_goes_on_past_it():
    inbox = queue.Queue()
    gen = run(tiny_config(steps=20), inbox, clock=TickClock(), at_limit="pause")
    seen = []
    for r in gen:
        seen.append(r)
        if isinstance(r, rep.StateChanged) and r.state == "finished":
            inbox.put(cmd.Play())
        if isinstance(r, rep.ScalarBatch) and r.steps[-1] >= 60:
            inbox.put(cmd.Stop())
    finished = [r for r in seen if isinstance(r, rep.StateChanged) and r.state == "finished"]
    assert len(finished) == 1  # the limit pauses once; Play means "go on"
    steps = np.concatenate([r.steps for r in seen if isinstance(r, rep.ScalarBatch)])
    assert steps[-1] >= 60


def test_reset_after_the_step_limit_arms_the_limit_again():
    inbox = queue.Queue()
    gen = run(tiny_config(steps=15), inbox, clock=TickClock(), at_limit="pause")
    finished = []
    for r in gen:
        if isinstance(r, rep.StateChanged) and r.state == "finished":
            finished.append(r)
            inbox.put(cmd.Reset(seed=3) if len(finished) == 1 else cmd.Stop())
            if len(finished) == 1:
                inbox.put(cmd.Play())
    assert [(r.segment, r.step) for r in finished] == [(0, 15), (1, 15)]


def test_an_unknown_limit_behaviour_is_refused():
    with pytest.raises(ValueError, match="at_limit"):
        next(run(tiny_config(), queue.Queue(), at_limit="stop"))


def test_a_restarted_loop_numbers_its_segments_after_the_window_ones():
    inbox = RecordingInbox(script=[cmd.Step(), cmd.Stop()])
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True, first_segment=4))
    assert {r.segment for r in reports} == {4}


def test_every_setting_command_reports_the_config_in_effect():
    inbox = RecordingInbox(
        script=[
            cmd.SetLoss(cfg.LossConfig(name="wgan_gp")),
            cmd.SetLearningRate("d", -1.0),  # refused
            cmd.Stop(),
        ]
    )
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    effects = [r for r in reports if isinstance(r, rep.ConfigInEffect)]
    assert [e.output_kind for e in effects] == ["score", "score"]
    assert cfg.loads(effects[-1].config_toml).loss.name == "wgan_gp"
    assert cfg.loads(effects[-1].config_toml).optimizer_d.lr == tiny_config().optimizer_d.lr


def test_a_refused_rebuild_reports_the_config_still_training():
    """A data set that cannot load: the trainer keeps the old pair and says so."""
    good = tiny_config()
    bad = dataclasses.replace(good, data=dataclasses.replace(good.data, source="csv_points"))
    inbox = RecordingInbox(script=[cmd.ApplyConfig(bad), cmd.Stop()])
    reports = list(run(good, inbox, clock=TickClock(), start_paused=True))
    error = next(r for r in reports if isinstance(r, rep.TrainingError))
    effect = next(r for r in reports if isinstance(r, rep.ConfigInEffect))
    assert reports.index(effect) > reports.index(error)
    assert cfg.loads(effect.config_toml).data.source == good.data.source


def test_a_loaded_checkpoint_brings_its_runs_history_from_the_trainer_thread(tmp_path):
    from ganlab.kernel.rundir import RunDir

    recorder = Recorder(RunDir.create(tmp_path / "run", tiny_config()))
    inbox = RecordingInbox(script=[cmd.Stop()])
    for _ in range(30):
        inbox.put(cmd.Step())
    inbox.put(cmd.SaveCheckpoint(None))
    loop = run(tiny_config(), inbox, clock=TickClock(), start_paused=True, recording=True)
    list(drive(loop, recorder))
    recorder.close()
    checkpoint = str(next((tmp_path / "run" / "checkpoints").glob("*.pt")))
    lone = tmp_path / "lone.pt"
    lone.write_bytes(Path(checkpoint).read_bytes())

    inbox = RecordingInbox(
        script=[cmd.LoadCheckpoint(checkpoint), cmd.LoadCheckpoint(str(lone)), cmd.Stop()]
    )
    reports = list(run(tiny_config(), inbox, clock=TickClock(), start_paused=True))
    loaded = [r for r in reports if isinstance(r, rep.CheckpointLoaded)]
    assert [r.step for r in loaded] == [30, 30]
    assert list(loaded[0].history.steps) == list(range(1, 31))
    assert loaded[1].history is None


def test_a_d_learning_rate_of_10_pauses_once_and_blames_d():
    """Issue 9, item 3: exploding values pause (as documented) and name the network."""
    inbox = queue.Queue()
    gen = run(tiny_config(), inbox, clock=TickClock(0.05))
    reports, raised, resumed = [], False, False
    for r in gen:
        reports.append(r)
        if isinstance(r, rep.ScalarBatch) and not raised and r.steps[-1] > 250:
            inbox.put(cmd.SetLearningRate("d", 10.0))
            raised = True
        if isinstance(r, rep.StateChanged) and r.state == "paused" and not resumed:
            inbox.put(cmd.Play())  # go on from the restored state and its settings
            resumed = True
        if isinstance(r, rep.ScalarBatch) and resumed and r.steps[-1] > 900:
            inbox.put(cmd.Stop())
        if isinstance(r, rep.ScalarBatch) and r.steps[-1] > 5000:
            pytest.fail("a D learning rate of 10 was never diagnosed")
    pausing = [r for r in reports if isinstance(r, rep.Diagnosis) and r.kind == "exploding"]
    assert len(pausing) == 1  # one episode, one message
    assert "D's learning rate" in pausing[0].message
    assert "G's learning rate" not in pausing[0].message
    paused = [r for r in reports if isinstance(r, rep.StateChanged) and r.state == "paused"]
    assert len(paused) == 1


class _ScriptedDiagnostics:
    """Stands in for Diagnostics: its open episodes are set by the test."""

    def __init__(self) -> None:
        self.active: frozenset[str] = frozenset()


def test_a_diagnosis_whose_episode_closes_is_reported_cleared_once(tiny, tmp_path):
    import queue

    from ganlab.engine.loop import _Session
    from ganlab.engine.trainer import Trainer
    from ganlab.kernel import reports as rep
    from ganlab.kernel.rundir import RunDir
    from ganlab.metrics.diagnostics import Diagnosis

    recorder = Recorder(RunDir.create(tmp_path / "run", tiny))
    session = _Session(
        tiny,
        queue.Queue(),
        clock=lambda: 0.0,
        start_paused=True,
        recording=True,
        snapshot_ack=False,
        resume_from=None,
        trainer=Trainer(tiny),
    )
    session.diagnostics = _ScriptedDiagnostics()  # type: ignore[assignment]
    fired = Diagnosis("mode_collapse", 10, "warning", "G covers 2 of 8 modes.")
    session.diagnostics.active = frozenset({"mode_collapse"})
    first = list(session._diagnoses([fired]))
    assert [type(r) for r in first] == [rep.Diagnosis]
    assert first[0].title == "Mode collapse"
    assert list(session._diagnoses([])) == []  # still open: nothing new
    session.trainer.step_count = 700
    session.diagnostics.active = frozenset()
    cleared = list(session._diagnoses([]))
    assert cleared == [rep.DiagnosisCleared(0, 700, "mode_collapse", "Mode collapse")]
    assert list(session._diagnoses([])) == []  # once
    for report in [*first, *cleared]:
        assert recorder.consume(report) == []
    recorder.close()
    metrics = tmp_path / "run" / "metrics.jsonl"
    events = [line for line in metrics.read_text().splitlines() if "cleared" in line]
    assert len(events) == 1
    assert '"step": 700' in events[0]


def test_a_speed_limit_paces_continuous_training_by_the_loops_clock(tiny):
    import queue

    from ganlab.engine.loop import run
    from ganlab.kernel import commands as cmd
    from ganlab.kernel import reports as rep

    now = [0.0]

    def clock() -> float:  # every look at the clock moves it 1 ms: no real time involved
        now[0] += 0.001
        return now[0]

    inbox: queue.Queue = queue.Queue()
    inbox.put(cmd.SetSpeed(200.0))  # one step per 5 ms of this clock at most
    inbox.put(cmd.Play())
    steps = 0
    for report in run(tiny, inbox, clock=clock, start_paused=True, snapshots=False):
        if isinstance(report, rep.ScalarBatch) and len(report):
            steps = int(report.steps[-1])
            if steps >= 30:
                inbox.put(cmd.Stop())
    assert steps >= 30
    assert steps <= 200.0 * now[0] + 1  # the first step is due at once, then one per 5 ms


def test_the_speed_limit_books_one_step_at_a_time():
    from ganlab.engine.loop import _Session

    now = [100.0]
    s = _Session.__new__(_Session)  # only the pacing state
    s.clock = lambda: now[0]
    s.speed, s.next_step_at = 4.0, -float("inf")
    assert s.throttle_wait() == 0.0
    s.took_step()
    assert s.throttle_wait() == pytest.approx(0.25)
    now[0] += 10.0  # a long pause: no burst of steps to catch up
    assert s.throttle_wait() == 0.0
    s.took_step()
    assert s.throttle_wait() == pytest.approx(0.25)
    s.speed = 0.0
    assert s.throttle_wait() == 0.0


def test_a_reset_with_a_config_survives_the_inbox_last_one_wins_rule():
    """ApplyConfig then Reset in one drain used to keep only the Reset, of the old
    experiment; a Reset that carries the new experiment is one command."""
    ring = tiny_config()
    grid = tiny_config(source="grid25")
    inbox = RecordingInbox(script=[cmd.Stop()])
    inbox.put(cmd.ApplyConfig(grid))
    inbox.put(cmd.Reset(seed=3, config=grid))
    reports = list(run(ring, inbox, clock=TickClock(), start_paused=True))
    started = [r for r in reports if isinstance(r, rep.SegmentStarted)]
    assert started[-1].reason == "reset"
    assert cfg.loads(started[-1].config_toml).data.source == "grid25"
    assert cfg.loads(started[-1].config_toml).loop.seed == 3


def test_a_recorded_loop_keeps_its_last_good_state_on_disk_on_a_timer(tmp_path):
    """A window's own trainer records the last good state every few seconds: a process
    that dies loses at most that much (the window restarts from it)."""
    from ganlab.kernel.checkpoint import load_checkpoint
    from ganlab.kernel.rundir import RunDir

    recorder = Recorder(RunDir.create(tmp_path / "run", tiny_config()))
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    gen = drive(
        run(
            tiny_config(),
            inbox,
            clock=TickClock(0.01),
            recording=True,
            good_state_every_s=1.0,
        ),
        recorder,
    )
    reports = collect_until(
        gen,
        inbox,
        lambda r: isinstance(r, rep.CheckpointState) and r.reason == "good",
    )
    recorder.close()
    good = next(r for r in reports if isinstance(r, rep.CheckpointState) and r.reason == "good")
    steps_then = max(
        int(r.steps[-1]) for r in reports[: reports.index(good)] if isinstance(r, rep.ScalarBatch)
    )
    assert good.step < steps_then  # the good state is one the loop already left behind
    written = RunDir(tmp_path / "run").checkpoint_path(good.step)
    assert load_checkpoint(written)["step"] == good.step


def test_without_a_timer_no_good_state_is_written():
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    gen = run(tiny_config(), inbox, clock=TickClock(0.01), recording=True)
    reports = collect_until(
        gen, inbox, lambda r: isinstance(r, rep.ScalarBatch) and r.steps[-1] > 300
    )
    assert not [r for r in reports if isinstance(r, rep.CheckpointState) and r.reason == "good"]


def test_a_paused_start_shows_its_views_before_waiting_for_a_command():
    """A run that starts paused (a resumed one, a translator whose window asks for no
    samples) publishes the views of its state without being sent anything first."""
    inbox = RecordingInbox(script=[cmd.Stop()])
    waits_before_snapshot = None
    for report in run(tiny_config(), inbox, clock=TickClock(), start_paused=True):
        if isinstance(report, rep.ToySnapshot) and waits_before_snapshot is None:
            waits_before_snapshot = inbox.blocking_gets
        assert not isinstance(report, rep.ScalarBatch)  # no training happened
    assert waits_before_snapshot == 0  # shown before it waited for the Stop
