"""Exports of a run's evolution (ganlab.app.export, 'ganlab export'): the files come out
as standard tools read them (Pillow for GIF and PNG, PyAV's probe for MP4, an XML parser
for SVG, the csv module for CSV), drawn by the window's real panels from a run directory
that a real (tiny) training recorded; and bad input ends in a clear message."""

from __future__ import annotations

import csv
import dataclasses
import json
import queue
import xml.etree.ElementTree as ET

import av
import numpy as np
import pytest
from PIL import Image

from ganlab import cli
from ganlab.app.export import Export, ExportJob, ExportOptions, curve_rows, run_export
from ganlab.app.panels import PANELS
from ganlab.engine.loop import run as run_loop
from ganlab.engine.recorder import Recorder, drive
from ganlab.kernel import commands as cmd
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.history import History
from ganlab.kernel.presets import load_preset
from ganlab.kernel.rundir import RunDir
from tests.conftest import tiny_config

STEPS = 6  # paused steps of the ring run: a frame each, and the start's


def _small(config):
    """A preset shrunk for CI (as tests.app.test_main_window.small does)."""
    loop = dataclasses.replace(
        config.loop, device="cpu", threads=1, batch_size=8, fixed_samples=16, grid_size=16
    )
    model = dataclasses.replace(config.model, base_channels=8, g_hidden=16, d_hidden=16)
    return dataclasses.replace(config, loop=loop, model=model)


CONFIGS = {  # one run per panel key of the window's routing table
    "toy2d": lambda: tiny_config(),
    "toy1d": lambda: tiny_config(source="gaussian1d"),
    "image": lambda: tiny_config(source="shapes", family="dcgan"),
    "paired": lambda: _small(load_preset("shapes_pix2pix")),
    "unpaired": lambda: tiny_config(
        source="shapes_unpaired", family="cyclegan", loss="least_squares"
    ),
    "style": lambda: _small(load_preset("shapes_stylegan")),
}


def record(path, config, commands):
    """A run directory written by the real recorder from a real paused loop driven by
    ``commands``, keeping every view snapshot in its history (no 1-second spacing)."""
    run = RunDir.create(path, config)
    inbox: queue.Queue = queue.Queue()
    for command in (*commands, cmd.Stop()):
        inbox.put(command)
    recorder = Recorder(run, history_every_s=0)
    for _report in drive(run_loop(config, inbox, recording=True, start_paused=True), recorder):
        pass
    recorder.close()
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Run directories by panel key, recorded on first use: the ring's of STEPS steps,
    the others' of one (two frames)."""
    made = {}

    def get(key):
        if key not in made:
            path = tmp_path_factory.mktemp("runs") / key
            steps = STEPS if key == "toy2d" else 1
            made[key] = record(path, CONFIGS[key](), [cmd.Step()] * steps)
        return made[key]

    return get


@pytest.fixture(scope="module")
def ring(runs):
    return runs("toy2d")


def _frame_steps(run_dir):
    return [f.step for f in History(run_dir).frames()]


def test_the_recorded_run_has_a_frame_per_step(ring):
    assert _frame_steps(ring) == list(range(STEPS + 1))


def test_a_gif_has_one_frame_per_kept_step_in_the_range_at_the_asked_size(qapp, ring, tmp_path):
    out = run_export(
        ring, "gif", tmp_path / "a.gif", ExportOptions(size=(320, 240), first=2, last=5, fps=5)
    )
    with Image.open(out) as gif:
        assert gif.n_frames == 4  # steps 2, 3, 4, 5
        assert gif.size == (320, 240)
        assert gif.info["duration"] == 200
        first = np.asarray(gif.convert("RGB"))
        gif.seek(3)
        last = np.asarray(gif.convert("RGB"))
    assert not np.array_equal(first, last)  # the run moved (and the step text changed)


def test_an_mp4_is_h264_with_every_frame_and_an_even_size(qapp, ring, tmp_path):
    progress = []
    out = run_export(
        ring,
        "mp4",
        tmp_path / "a.mp4",
        ExportOptions(size=(321, 241)),
        progress=lambda done, total: progress.append((done, total)),
    )
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert (stream.width, stream.height) == (320, 240)  # yuv420p needs even sides
        assert stream.frames == STEPS + 1
        assert sum(1 for _frame in container.decode(video=0)) == STEPS + 1
    assert progress[-1][0] == progress[-1][1]
    assert [done for done, _total in progress] == sorted(done for done, _total in progress)


def test_a_png_still_shows_the_last_frame_up_to_the_asked_step(qapp, ring, tmp_path):
    export = Export(ring, "png", tmp_path / "a.png", ExportOptions(size=(400, 300), last=3))
    assert [f.step for f in export.chosen] == [3]
    for _progress in export.frames():
        pass
    with Image.open(tmp_path / "a.png") as png:
        assert png.format == "PNG"
        assert png.size == (400, 300)
        pixels = np.asarray(png.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20  # a picture, not a blank


def test_an_svg_still_is_well_formed_svg_of_the_asked_size(qapp, ring, tmp_path):
    out = run_export(ring, "svg", tmp_path / "a.svg", ExportOptions(size=(400, 300)))
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 400 300"
    assert len(list(root.iter())) > 50  # the panel's items, drawn as vectors and images
    # Markers are shapes: only the pictures are images (D's heatmap, its colour bar), not
    # one embedded atlas per sample point.
    images = [e for e in root.iter() if e.tag.endswith("image")]
    assert len(images) < 10


META_KEYS = {"event", "step", "segment"}


def test_the_csv_has_the_metrics_columns_and_one_row_per_step(ring, tmp_path):
    out = run_export(ring, "csv", tmp_path / "curves.csv")
    with open(out, newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    entries = [
        json.loads(line)
        for line in (ring / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rows = [e for e in entries if "event" not in e]
    metric_keys = {
        k for e in entries if e.get("event") == "metrics" for k in e if k not in META_KEYS
    }
    scalar_keys = [k for k, v in rows[0].items() if not isinstance(v, dict)]
    assert metric_keys  # the ring's run measured its metrics at least once
    assert table[0][: len(scalar_keys)] == scalar_keys
    assert set(table[0][len(scalar_keys) :]) == metric_keys
    assert len(table) - 1 == STEPS
    assert [int(r[0]) for r in table[1:]] == list(range(1, STEPS + 1))
    d_loss = table[0].index("d_loss")
    assert float(table[1][d_loss]) == pytest.approx(rows[0]["d_loss"])


def test_curve_rows_keep_only_the_asked_steps(ring):
    names, rows = curve_rows(ring, first=2, last=4)
    assert names[0] == "step"
    assert [r["step"] for r in rows] == [2, 3, 4]


def test_the_csv_has_the_metrics_events_on_their_steps_and_drops_rewound_ones(tmp_path):
    lines = [
        {"step": 1, "segment": 0, "d_loss": 1.0},
        {"step": 2, "segment": 0, "d_loss": 0.9},
        {"event": "metrics", "step": 2, "segment": 0, "jsd": 0.5, "fid": 40.0},
        {"step": 3, "segment": 0, "d_loss": 0.8},
        {"event": "metrics", "step": 3, "segment": 0, "jsd": 0.4},
        # resumed from step 2: step 3's row and metrics are replaced
        {"step": 3, "segment": 0, "d_loss": 0.7},
        {"event": "metrics", "step": 4, "segment": 0, "jsd": 0.3},
        {"event": "setting", "step": 4, "segment": 0, "key": "x", "old": 1, "new": 2},
        {"step": 1, "segment": 1, "d_loss": 2.0},
        {"event": "metrics", "step": 1, "segment": 1, "kid": 0.01},
    ]
    run = tmp_path / "run"
    run.mkdir()
    (run / "experiment.toml").write_text("", encoding="utf-8")
    (run / "metrics.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    names, rows = curve_rows(run)
    assert names == ["step", "segment", "d_loss", "jsd", "fid", "kid"]
    table = [[row.get(name) for name in names] for row in rows]
    assert table == [
        [1, 0, 1.0, None, None, None],
        [2, 0, 0.9, 0.5, 40.0, None],
        [3, 0, 0.7, None, None, None],
        [4, 0, None, 0.3, None, None],
        [1, 1, 2.0, None, None, 0.01],
    ]
    out = run_export(run, "csv", tmp_path / "curves.csv")
    with open(out, newline="", encoding="utf-8") as fh:
        written = list(csv.reader(fh))
    assert written[0] == names
    assert written[2] == ["2", "0", "0.9", "0.5", "40.0", ""]


def test_the_curves_view_draws_frames_too(qapp, ring, tmp_path):
    out = run_export(
        ring, "gif", tmp_path / "c.gif", ExportOptions(view="curves", size=(320, 400), first=4)
    )
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size) == (3, (320, 400))


@pytest.mark.parametrize("key", list(PANELS))
def test_every_panel_of_the_window_draws_a_run_of_its_kind(qapp, runs, key, tmp_path):
    run_dir = runs(key)
    out = run_export(run_dir, "png", tmp_path / f"{key}.png", ExportOptions(size=(480, 360)))
    with Image.open(out) as png:
        assert png.size == (480, 360)
        pixels = np.asarray(png.convert("RGB"))
    strip = max(18, round(360 * 0.06))
    picture = pixels[strip:]
    assert len(np.unique(picture.reshape(-1, 3), axis=0)) > 20, key


def test_an_image_run_exports_an_animation(qapp, runs, tmp_path):
    out = run_export(runs("image"), "gif", tmp_path / "i.gif", ExportOptions(size=(400, 300)))
    with Image.open(out) as gif:
        assert gif.n_frames == 2  # the start and step 1


def test_a_run_with_two_segments_names_the_segment_on_each_frame(qapp, tmp_path):
    run_dir = record(tmp_path / "two", tiny_config(), [cmd.Step(), cmd.Reset(), cmd.Step()])
    export = Export(run_dir, "gif", tmp_path / "two.gif")
    assert {f.segment for f in export.chosen} == {0, 1}
    for _progress in export.frames():
        pass
    with Image.open(tmp_path / "two.gif") as gif:
        assert gif.n_frames == len(export.chosen)
    # --segment picks one segment's frames (steps start again at 0 after the reset) ...
    second = Export(run_dir, "gif", tmp_path / "s1.gif", ExportOptions(segment=1))
    assert [f.segment for f in second.chosen] == [1] * len(second.chosen)
    assert [f.step for f in second.chosen] == [f.step for f in export.chosen if f.segment == 1]
    _names, rows = curve_rows(run_dir, segment=0)
    assert {r["segment"] for r in rows} == {0}
    assert rows
    # ... and a segment the run lacks is named with the ones it has.
    with pytest.raises(GanlabError, match=r"--segment 7: .* segment 0, 1"):
        Export(run_dir, "gif", tmp_path / "s7.gif", ExportOptions(segment=7))
    with pytest.raises(GanlabError, match=r"--segment 7: .* segment 0, 1"):
        Export(run_dir, "csv", tmp_path / "s7.csv", ExportOptions(segment=7))


def test_closing_an_export_half_way_leaves_no_file(qapp, ring, tmp_path):
    out = tmp_path / "cut.mp4"
    work = Export(ring, "mp4", out, ExportOptions(size=(320, 240))).frames()
    next(work)
    next(work)
    work.close()
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # nor its temporary file


def test_the_window_job_reports_progress_and_finishes(qtbot, ring, tmp_path):
    out = tmp_path / "job.gif"
    job = ExportJob(Export(ring, "gif", out, ExportOptions(size=(320, 240))))
    seen = []
    job.progress_changed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=20_000) as blocker:
        job.start()
    assert blocker.args == [str(out)]
    assert seen[-1] == (STEPS + 2, STEPS + 2)  # every frame, then the file
    assert not job.is_running()
    with Image.open(out) as gif:
        assert gif.n_frames == STEPS + 1


def test_frames_thinned_away_meanwhile_end_the_job_with_a_reason(qtbot, ring, tmp_path):
    import shutil

    run_dir = tmp_path / "run"
    shutil.copytree(ring, run_dir)
    export = Export(run_dir, "gif", tmp_path / "gone.gif", ExportOptions(size=(320, 240)))
    for frame in export.chosen:  # a live run's writer thinned them after the listing
        frame.path.unlink()
    job = ExportJob(export)
    with qtbot.waitSignal(job.failed, timeout=20_000) as blocker:
        job.start()
    assert "could not be read" in blocker.args[0]
    assert not (tmp_path / "gone.gif").exists()


def test_cancelling_the_window_job_leaves_no_file(qtbot, ring, tmp_path):
    out = tmp_path / "job.gif"
    job = ExportJob(Export(ring, "gif", out, ExportOptions(size=(320, 240))))
    with qtbot.waitSignal(job.progress_changed, timeout=20_000):
        job.start()
    job.cancel()
    assert not job.is_running()
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- the command


def _fails(argv, capsys) -> str:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return " ".join(err.split())


def test_the_command_writes_a_gif(qapp, ring, tmp_path, capsys):
    out = tmp_path / "cli.gif"
    argv = ["export", str(ring), "--format", "gif", "--out", str(out), "--size", "320x240"]
    assert cli.main([*argv, "--from", "5"]) == cli.EXIT_OK
    assert str(out) in capsys.readouterr().out
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size) == (2, (320, 240))


def test_the_command_refuses_a_folder_that_is_not_a_run(tmp_path, capsys):
    err = _fails(["export", str(tmp_path), "--format", "gif"], capsys)
    assert str(tmp_path) in err
    assert "not a ganlab run directory" in err


def test_a_run_without_history_says_why_and_still_exports_csv(ring, tmp_path, capsys):
    old = tmp_path / "old"
    old.mkdir()
    for name in ("experiment.toml", "metrics.jsonl"):
        (old / name).write_bytes((ring / name).read_bytes())
    err = _fails(["export", str(old), "--format", "mp4"], capsys)
    assert str(old) in err
    assert "no recorded frames" in err
    assert "before this version" in err
    assert "--format csv" in err
    assert cli.main(["export", str(old), "--format", "csv"]) == cli.EXIT_OK
    assert (old / "exports" / "curves.csv").is_file()


def test_a_step_range_without_frames_names_the_range_and_the_run(ring, capsys):
    err = _fails(["export", str(ring), "--format", "gif", "--from", "100", "--to", "200"], capsys)
    assert "step 100" in err
    assert "step 200" in err
    assert "--from/--to" in err
    assert f"from step 0 to step {STEPS}" in err


@pytest.mark.parametrize("size", ["800", "0x600", "big", "99999x10"])
def test_a_bad_size_names_the_option_and_an_example(ring, size, capsys):
    err = _fails(["export", str(ring), "--format", "png", "--size", size], capsys)
    assert "--size" in err
    assert "800x600" in err


def test_a_name_of_another_format_and_a_gif_too_fast_to_play_are_refused(ring, capsys, tmp_path):
    err = _fails(["export", str(ring), "--format", "gif", "--out", str(tmp_path / "x.mp4")], capsys)
    assert "x.mp4" in err
    assert ".gif" in err
    assert not (tmp_path / "x.mp4").exists()
    err = _fails(["export", str(ring), "--format", "gif", "--fps", "60"], capsys)
    assert "--fps 60" in err
    assert "mp4" in err


# ---------------------------------------------------------------------- the window


def test_the_dialog_hands_back_what_was_chosen(qtbot, tmp_path):
    from ganlab.app.export import FORMATS, VIEWS
    from ganlab.widgets.export_dialog import ExportDialog

    formats = [(f.name, f.title, f.suffix, f.kind) for f in FORMATS.values()]
    dialog = ExportDialog(formats, list(VIEWS.items()), (0, 40), tmp_path)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("mp4"))
    dialog.first_box.setValue(10)
    dialog.width_box.setValue(640)
    choice = dialog.choice()
    assert (choice.fmt, choice.view, choice.first, choice.last) == ("mp4", "data", 10, 40)
    assert choice.size == (640, 600)
    assert choice.path == tmp_path / "data.mp4"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("png"))
    assert not dialog.fps_box.isEnabled()
    assert dialog.choice().first is None  # a still: the last frame up to "to"
    assert dialog.choice().path == tmp_path / "data.png"


def test_the_dialog_offers_the_segments_of_a_run_that_has_several(qtbot, tmp_path):
    from ganlab.app.export import FORMATS, VIEWS
    from ganlab.widgets.export_dialog import ExportDialog

    formats = [(f.name, f.title, f.suffix, f.kind) for f in FORMATS.values()]
    one = ExportDialog(formats, list(VIEWS.items()), (0, 40), tmp_path, segments={0: (0, 40)})
    qtbot.addWidget(one)
    assert one.choice().segment is None  # one segment: no field, nothing to choose
    assert not one.segment_box.isVisibleTo(one)
    two = ExportDialog(
        formats, list(VIEWS.items()), (0, 90), tmp_path, segments={0: (0, 90), 1: (0, 25)}
    )
    qtbot.addWidget(two)
    assert two.segment_box.isVisibleTo(two)
    assert [two.segment_box.itemData(i) for i in range(two.segment_box.count())] == [None, 0, 1]
    two.segment_box.setCurrentIndex(2)
    choice = two.choice()
    assert (choice.segment, choice.first, choice.last) == (1, 0, 25)
    assert (two.first_box.maximum(), two.last_box.maximum()) == (25, 25)
    two.segment_box.setCurrentIndex(0)
    choice = two.choice()
    assert (choice.segment, choice.first, choice.last) == (None, 0, 90)


def test_file_export_evolution_offers_the_segments_of_the_run(qtbot, tmp_path):
    from PySide6.QtWidgets import QWidget

    from ganlab.app.export import ExportFlow

    run_dir = record(tmp_path / "two", tiny_config(), [cmd.Step(), cmd.Reset(), cmd.Step()])
    parent = QWidget()
    qtbot.addWidget(parent)
    flow = ExportFlow(run_dir, lambda *_: None, parent)
    flow.open()
    box = flow.dialog.segment_box
    assert [box.itemData(i) for i in range(box.count())] == [None, 0, 1]
    flow.dialog.reject()


def test_a_run_without_frames_is_offered_csv_only(qtbot, tmp_path):
    from ganlab.app.export import FORMATS, VIEWS
    from ganlab.widgets.export_dialog import ExportDialog

    formats = [(f.name, f.title, f.suffix, f.kind) for f in FORMATS.values()]
    dialog = ExportDialog(formats, list(VIEWS.items()), None, tmp_path, note="no frames")
    qtbot.addWidget(dialog)
    assert [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())] == ["csv"]
    assert (dialog.choice().first, dialog.choice().last) == (None, None)


def test_file_export_evolution_exports_the_window_s_run(window, qtbot, ring, tmp_path):
    assert window.export_evolution_action in window.menuBar().actions()[0].menu().actions()
    window.controller.last_run_dir = ring
    window.export_evolution_action.trigger()
    flow = window.export_flow
    dialog = flow.dialog
    assert dialog.isVisible()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("gif"))
    dialog.width_box.setValue(320)
    dialog.height_box.setValue(240)
    dialog.first_box.setValue(4)
    dialog.path_edit.setText(str(tmp_path / "w.gif"))
    dialog.accept()
    with qtbot.waitSignal(flow.job.finished, timeout=20_000):
        pass
    with Image.open(tmp_path / "w.gif") as gif:
        assert (gif.n_frames, gif.size) == (3, (320, 240))
    assert f"Exported {tmp_path / 'w.gif'}" in window.log.text()


def test_cancelling_from_the_progress_dialog_stops_the_export(qtbot, ring, tmp_path):
    from PySide6.QtWidgets import QPushButton, QWidget

    from ganlab.app.export import ExportFlow

    parent = QWidget()
    qtbot.addWidget(parent)
    said = []
    flow = ExportFlow(ring, lambda message, level: said.append((level, message)), parent)
    assert flow.start("mp4", tmp_path / "c.mp4", ExportOptions(size=(320, 240)))
    with qtbot.waitSignal(flow.job.progress_changed, timeout=20_000):
        pass
    flow.progress.findChild(QPushButton).click()  # the dialog's Cancel
    assert not flow.job.is_running()
    assert list(tmp_path.iterdir()) == []
    assert said
    assert said[-1][0] == "info"
    assert "cancelled" in said[-1][1]


def test_the_flow_says_in_the_log_why_an_export_is_refused(qtbot, ring, tmp_path):
    from PySide6.QtWidgets import QWidget

    from ganlab.app.export import ExportFlow

    parent = QWidget()
    qtbot.addWidget(parent)
    said = []
    flow = ExportFlow(ring, lambda message, level: said.append((level, message)), parent)
    assert not flow.start("gif", tmp_path / "x.gif", ExportOptions(first=500))
    assert said[-1][0] == "error"
    assert "--from/--to" in said[-1][1]


def test_an_exported_toy_view_leaves_the_window_s_own_layers_out_of_its_legend(qapp, ring):
    from ganlab.app.export import FrameDrawer

    drawer = FrameDrawer(History(ring), ring, "data", (400, 300), 1)
    try:
        assert drawer.begin_segment(0)
        labels = [label.text for _sample, label in drawer._panel.legend.items]
    finally:
        drawer.close()
    assert "real data" in labels
    assert "latent path" not in labels  # the latent explorer's, never in a recorded frame
    assert "drawn points" not in labels


def test_exported_curves_end_their_x_axis_at_the_last_exported_step(qapp, ring):
    from ganlab.app.export import FrameDrawer

    history = History(ring)
    drawer = FrameDrawer(history, ring, "curves", (400, 300), 1)
    drawer.until[0] = 6
    try:
        assert drawer.begin_segment(0)
        for frame in history.frames()[:7]:  # steps 0..6
            drawer.feed(history.load(frame))
        x_range = drawer._panel.plot_widgets()["losses"].getViewBox().viewRange()[0]
    finally:
        drawer.close()
    assert x_range == pytest.approx([1, 6])  # the window would leave room up to 10


def test_a_gif_frame_keeps_the_colours_of_the_png_of_its_step(qapp, ring, tmp_path):
    """The palette follows the picture: D's smooth field stays smooth (a fast octree
    palette turned it into white blocks: 12 levels off on average, against 3 now)."""
    gif = run_export(ring, "gif", tmp_path / "a.gif", ExportOptions(size=(400, 300)))
    png = run_export(ring, "png", tmp_path / "a.png", ExportOptions(size=(400, 300)))
    with Image.open(gif) as animation:
        animation.seek(animation.n_frames - 1)
        last = np.asarray(animation.convert("RGB"), dtype=float)
    with Image.open(png) as still:
        wanted = np.asarray(still.convert("RGB"), dtype=float)
    assert np.abs(last - wanted).mean() < 5.0
