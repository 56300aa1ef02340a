"""TensorBoard event files: a real run writes them through the recorder, an existing run
converts to them, and TensorBoard's own reader (EventAccumulator) reads them back.

Real runs of tiny toy and image experiments into tmp_path; TensorBoard "absent" is an
import of it made to fail (sys.modules entry None), as Python does for a missing package.
"""

from __future__ import annotations

import json
import queue
import shutil
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from ganlab.engine import tensorboard as tb
from ganlab.engine.loop import run
from ganlab.engine.recorder import Recorder, drive
from ganlab.kernel import reports as rep
from ganlab.kernel.history import History
from ganlab.kernel.rundir import RunDir
from tests.conftest import tiny_config

pytest.importorskip("tensorboard")
import itertools

from tensorboard.backend.event_processing.event_accumulator import (
    EventAccumulator,
)

ALL = {"scalars": 0, "images": 0, "histograms": 0, "tensors": 0}


class TickClock:
    """Advances ``dt`` seconds every time it is read: snapshots without sleeping."""

    def __init__(self, dt: float = 0.01):
        self.t = 0.0
        self.dt = dt

    def __call__(self) -> float:
        self.t += self.dt
        return self.t


def played(path: Path, config, **recorder_options) -> list[rep.Report]:
    """A headless run of ``config`` with its view snapshots on, recorded into ``path``
    (TensorBoard rows as ``tb.ROWS_EVERY_S`` says: tests set it)."""
    recorder = Recorder(RunDir(path), **recorder_options)
    loop = run(config, queue.Queue(), clock=TickClock(), recording=True, snapshots=True)
    try:
        return list(drive(loop, recorder))
    finally:
        recorder.close()


def expected_scalars(path: Path) -> dict[str, dict[int, float]]:
    """tag -> {step: value}, read from metrics.jsonl here without ganlab's help: the
    numbers of every row and metrics event but step, time and segment; nested numbers as
    key/name. A later entry at the same step and tag wins, as in TensorBoard."""
    out: dict[str, dict[int, float]] = {}
    for line in (path / "metrics.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry.get("event") not in (None, "metrics"):
            continue
        for key, value in entry.items():
            if key in ("event", "step", "time", "segment"):
                continue
            inner = value if isinstance(value, dict) else {None: value}
            for name, number in inner.items():
                if isinstance(number, int | float) and not isinstance(number, bool):
                    tag = key if name is None else f"{key}/{name}"
                    out.setdefault(tag, {})[entry["step"]] = float(number)
    return out


def read_back(folder: Path) -> EventAccumulator:
    events = EventAccumulator(str(folder), size_guidance=ALL)
    events.Reload()
    return events


def read_scalars(events: EventAccumulator) -> dict[str, dict[int, float]]:
    return {tag: {e.step: e.value for e in events.Scalars(tag)} for tag in events.Tags()["scalars"]}


def assert_same_scalars(found: dict, wanted: dict) -> None:
    assert set(found) == set(wanted)
    for tag, values in wanted.items():
        assert set(found[tag]) == set(values), tag
        steps = sorted(values)
        np.testing.assert_allclose(
            [found[tag][s] for s in steps],
            np.array([values[s] for s in steps], np.float32),  # TensorBoard keeps float32
            rtol=1e-6,
            err_msg=tag,
        )


@pytest.fixture(autouse=True)
def every_row(request):
    """Live runs write every row here (their few-a-second pace has a test of its own)."""
    if "live_run_writes_a_few_rows" in request.node.name:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tb, "ROWS_EVERY_S", 0.0)
        yield


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory) -> tuple[Path, list[rep.Report]]:
    path = tmp_path_factory.mktemp("toy") / "ring"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tb, "ROWS_EVERY_S", 0.0)
        reports = played(path, tiny_config(steps=60))
    return path, reports


def test_a_toy_run_writes_every_row_as_scalars_named_as_in_metrics_jsonl(toy_run):
    path, reports = toy_run
    wanted = expected_scalars(path)
    assert {"d_loss", "g_loss", "grad_norm_d", "lr_d", "lr_g"} <= set(wanted)
    assert any(isinstance(r, rep.MetricsReport) for r in reports)
    assert "jsd" in wanted  # a metrics event's values are scalars too
    assert len(wanted["d_loss"]) == 60
    assert list(path.glob("events.out.tfevents.*"))  # in the run folder: one run per folder
    assert_same_scalars(read_scalars(read_back(path)), wanted)
    assert not [r for r in reports if isinstance(r, rep.LogMessage | rep.TrainingError)]


def test_a_toy_run_gets_d_output_histograms_and_a_picture(toy_run):
    path, _reports = toy_run
    events = read_back(path)
    assert {"d_output/real", "d_output/fake"} <= set(events.Tags()["histograms"])
    fake = events.Histograms("d_output/fake")[0].histogram_value
    assert fake.num == 64  # tiny_config's fixed_samples: one output per generated sample
    assert 0.0 <= fake.min <= fake.max <= 1.0  # a probability (non-saturating loss)
    picture = events.Images("samples")[0]
    assert (picture.width, picture.height) == (tb.TOY_IMAGE_SIZE, tb.TOY_IMAGE_SIZE)


def test_an_image_run_writes_its_sample_grid_and_d_output_histograms(tmp_path):
    config = tiny_config(source="shapes", family="dcgan", steps=4)
    reports = played(tmp_path / "shapes", config)
    events = read_back(tmp_path / "shapes")
    assert_same_scalars(read_scalars(events), expected_scalars(tmp_path / "shapes"))
    shown = next(r for r in reports if isinstance(r, rep.ImageSnapshot))
    assert shown.fake.shape == (64, 28, 28, 1)
    grid = events.Images("samples")[0]
    # 64 samples of 28 x 28 in an 8 x 8 grid with 2 pixels between and around them.
    assert (grid.width, grid.height) == (8 * 30 + 2, 8 * 30 + 2)
    assert grid.encoded_image_string.startswith(b"\x89PNG")
    real = events.Histograms("d_output/real")[0].histogram_value
    assert real.num > 0
    assert sum(real.bucket) == real.num

    # Converted afterwards: one grid and one pair of histograms per history frame.
    frames = History(tmp_path / "shapes").frames()
    assert frames
    exported = read_back(tb.export_run(tmp_path / "shapes", tmp_path / "tb").parent)
    assert [e.step for e in exported.Images("samples")] == [f.step for f in frames]
    assert [e.step for e in exported.Histograms("d_output/fake")] == [f.step for f in frames]


def test_a_run_without_tensorboard_writes_no_events_and_export_gives_the_same_scalars(
    tmp_path, monkeypatch
):
    with monkeypatch.context() as absent:
        absent.setitem(sys.modules, "tensorboard", None)  # `import tensorboard` fails
        assert not tb.available()
        reports = played(tmp_path / "run", tiny_config(steps=30))
        with pytest.raises(tb.TensorBoardMissingError, match=r"ganlab\[tensorboard\]"):
            tb.export_run(tmp_path / "run")
    assert not list((tmp_path / "run").glob("events.out.tfevents.*"))
    assert not [r for r in reports if isinstance(r, rep.LogMessage | rep.TrainingError)]

    calls: list[tuple[int, int]] = []
    written = tb.export_run(
        tmp_path / "run", progress=lambda done, total: calls.append((done, total))
    )
    assert written.parent == tmp_path / "run"
    assert calls[-1][0] == calls[-1][1] > 0
    events = read_back(tmp_path / "run")
    assert_same_scalars(read_scalars(events), expected_scalars(tmp_path / "run"))
    frames = History(tmp_path / "run").frames()
    assert frames  # the history was written without TensorBoard; the export replays it
    assert len(events.Images("samples")) == len(frames)
    assert {"d_output/real", "d_output/fake"} <= set(events.Tags()["histograms"])


def test_exporting_again_replaces_ganlab_s_event_files_and_leaves_others(toy_run, tmp_path):
    path, _reports = toy_run
    copy = tmp_path / "ring"
    shutil.copytree(path, copy)
    other = copy / "events.out.tfevents.1.elsewhere.7"  # another program's file stays
    other.write_bytes(b"")
    first = tb.export_run(copy)
    second = tb.export_run(copy)
    assert sorted(copy.glob("events.out.tfevents.*")) == sorted([other, second])
    assert not first.exists()
    other.unlink()  # (an empty file is no event file TensorBoard could read)
    assert_same_scalars(read_scalars(read_back(copy)), expected_scalars(path))


def test_a_run_that_rewinds_shows_only_the_rows_it_kept(tmp_path):
    """A resumed run that wrote steps again from an older checkpoint: the newer rows
    replace the older ones from that step on, in the export as in ganlab's own reader."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    rows = [{"step": s, "time": s, "segment": 0, "d_loss": 1.0} for s in range(1, 11)]
    rows += [{"step": s, "time": s, "segment": 0, "d_loss": 2.0} for s in range(6, 9)]
    (run_dir / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    tb.export_run(run_dir)
    found = read_scalars(read_back(run_dir))["d_loss"]
    assert found == {**dict.fromkeys(range(1, 6), 1.0), **dict.fromkeys(range(6, 9), 2.0)}


@pytest.mark.parametrize("threaded", [False, True], ids=["in the recorder", "in a thread"])
def test_a_failing_event_write_is_said_once_and_training_goes_on(tmp_path, monkeypatch, threaded):
    def refuse(*_args, **_kwargs):
        raise OSError("No space left on device")

    stopped = threading.Event()  # the writer gave up: its file is closed
    close = tb.EventFile.close

    def closed(self):
        close(self)
        stopped.set()

    monkeypatch.setattr(tb, "THREADED", threaded)
    # Rows are written as soon as they come (a worker looks 100 times a second).
    monkeypatch.setattr(tb, "FLUSH_EVERY_S", 0.01 if threaded else 0.0)
    monkeypatch.setattr(tb.EventFile, "write_scalars", refuse)
    monkeypatch.setattr(tb.EventFile, "close", closed)
    recorder = Recorder(RunDir(tmp_path / "run"))
    loop = run(tiny_config(steps=30), queue.Queue(), clock=TickClock(), recording=True)
    reports = []
    try:
        for report in drive(loop, recorder):
            reports.append(report)
            if isinstance(report, rep.ScalarBatch) and not stopped.is_set():
                assert stopped.wait(30)  # the first rows reached the writer, which failed
    finally:
        recorder.close()
    said = [r for r in reports if isinstance(r, rep.LogMessage)]
    assert len(said) == 1
    assert "No space left on device" in said[0].message
    assert said[0].level == "warning"
    assert not [r for r in reports if isinstance(r, rep.TrainingError)]
    assert [r for r in reports if isinstance(r, rep.StateChanged)][-1].state == "finished"
    assert len(expected_scalars(tmp_path / "run")["d_loss"]) == 30  # metrics.jsonl whole


def test_snapshots_are_written_at_most_once_per_interval():
    now = [0.0]
    writer = tb.TensorBoardWriter("unused", images_every_s=10.0, clock=lambda: now[0])
    writer._put = lambda kind, item: None  # what is queued is not this test's concern
    taken = []
    for t in (0.0, 5.0, 9.9, 10.0, 12.0, 20.5):
        now[0] = t
        taken.append(writer.snapshot(object()))
    assert taken == [True, False, False, True, False, True]
    queued = []
    writer._put = lambda kind, item: queued.append((kind, item))
    last = object()
    now[0] = 21.0
    assert writer.snapshot(last) is False  # too soon after 20.5...
    writer._write = lambda **_: None
    writer.close()
    assert queued == [("snapshot", last)]  # ...but a run's last state is kept at close


def test_d_field_interpolation_is_exact_on_a_linear_field():
    xs, ys = np.linspace(-2, 2, 9), np.linspace(-1, 1, 5)
    field = 0.5 + 0.1 * xs[None, :] - 0.2 * ys[:, None]  # [y, x]
    points = np.array([[0.3, -0.7], [-1.9, 0.55], [2.0, 1.0]])
    want = 0.5 + 0.1 * points[:, 0] - 0.2 * points[:, 1]
    np.testing.assert_allclose(tb.field_at(field, (xs, ys), points), want)


def test_ganlab_train_says_once_how_to_get_tensorboard_when_it_is_absent(
    tmp_path, monkeypatch, capsys
):
    from ganlab.cli import main

    monkeypatch.setitem(sys.modules, "tensorboard", None)
    experiment = tmp_path / "exp.toml"
    experiment.write_text(
        '[data]\nsource = "ring8_teaching"\n[model]\ng_hidden = 8\nd_hidden = 8\n'
        '[loop]\nbatch_size = 16\ndevice = "cpu"\nthreads = 1\n',
        encoding="utf-8",
    )
    argv = ["train", str(experiment), "--steps", "5", "--out", str(tmp_path / "run")]
    assert main([*argv, "--no-window"]) == 0
    said = capsys.readouterr()
    assert (said.out + said.err).count('pip install "ganlab[tensorboard]"') == 1
    assert not list((tmp_path / "run").glob("events.out.tfevents.*"))


def test_a_row_s_event_is_what_protobuf_reads(tmp_path):
    events = tb.EventFile(tmp_path, tb._protos())
    values = {"d_loss": 0.25, "grad_norm_d_layers/net.0": 3.5, "jsd": -1e300, "é": 1.0}
    events.write_scalars(123456789, 1.5e9, values)
    events.close()
    found = read_back(tmp_path)
    assert {tag: found.Scalars(tag)[0].value for tag in found.Tags()["scalars"]} == {
        **values,
        "jsd": -np.inf,  # beyond float32: an infinity, as protobuf stores it
    }
    assert found.Scalars("d_loss")[0].step == 123456789
    assert found.Scalars("d_loss")[0].wall_time == 1.5e9


def test_a_live_run_writes_a_few_rows_a_second_and_every_metrics_event(tmp_path, monkeypatch):
    monkeypatch.setattr(tb, "ROWS_EVERY_S", 0.05)
    played(tmp_path / "run", tiny_config(steps=60))
    wanted = expected_scalars(tmp_path / "run")
    found = read_scalars(read_back(tmp_path / "run"))
    rows = [json.loads(line) for line in (tmp_path / "run" / "metrics.jsonl").open()]
    times = {r["step"]: r["time"] for r in rows if "event" not in r}
    kept = sorted(found["d_loss"])
    assert 1 < len(kept) < len(times)  # fewer rows than metrics.jsonl, but rows
    assert kept[0] == min(times)
    assert all(times[b] - times[a] >= 0.05 for a, b in itertools.pairwise(kept))
    for tag in ("d_loss", "g_loss", "lr_d"):
        np.testing.assert_allclose(
            [found[tag][s] for s in kept], np.float32([wanted[tag][s] for s in kept]), rtol=1e-6
        )
    assert found["jsd"] == pytest.approx(wanted["jsd"], rel=1e-6)  # every metrics event


def test_a_run_still_training_is_not_converted(toy_run, tmp_path):
    """Its live event files follow it; an export beside them would cut its curves short
    in TensorBoard (the newer file name wins)."""
    import os

    path, _reports = toy_run
    copy = tmp_path / "ring"
    shutil.copytree(path, copy)
    endpoint = {"family": "AF_UNIX", "address": "/tmp/x", "pid": os.getpid(), "control": True}
    (copy / "trainer.json").write_text(json.dumps(endpoint), encoding="utf-8")
    before = sorted(copy.glob("events.out.tfevents.*"))
    with pytest.raises(tb.GanlabError, match="still training"):
        tb.export_run(copy)
    assert sorted(copy.glob("events.out.tfevents.*")) == before


def test_a_converted_metrics_event_has_the_wall_time_of_the_row_before_it(tmp_path):
    """Events carry no time of their own: they take their row's, so TensorBoard's
    relative and wall-time axes put them where they happened (not at the run's start)."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "experiment.toml").write_text("")
    lines = [{"step": s, "time": 10.0 * s, "segment": 0, "d_loss": 1.0} for s in range(1, 4)]
    lines.insert(2, {"event": "metrics", "step": 2, "segment": 0, "jsd": 0.5})
    (run_dir / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    tb.export_run(run_dir)
    events = read_back(run_dir)
    rows = {e.step: e.wall_time for e in events.Scalars("d_loss")}
    (jsd,) = events.Scalars("jsd")
    assert rows[2] - rows[1] == pytest.approx(10.0)
    assert jsd.step == 2
    assert jsd.wall_time == pytest.approx(rows[2], abs=1e-3)  # (wall times are ~1.7e9 s)
