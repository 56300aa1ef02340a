"""The ganlab command, run in-process: exit codes, messages, run directories."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest
import torch

from ganlab import __version__
from ganlab.cli import main
from ganlab.kernel.checkpoint import load_checkpoint


def write_tiny_experiment(path: pathlib.Path, extra: str = "") -> pathlib.Path:
    path.write_text(
        '[data]\nsource = "ring8_teaching"\n'
        "[model]\ng_hidden = 16\nd_hidden = 16\ng_layers = 1\nd_layers = 1\n"
        '[loop]\nbatch_size = 16\ndevice = "cpu"\nthreads = 1\nfixed_samples = 32\n'
        "grid_size = 12\n" + extra,
        encoding="utf-8",
    )
    return path


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_presets_lists_every_preset_with_a_line(capsys):
    from ganlab.kernel.presets import preset_names

    assert main(["presets"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == preset_names()
    assert any("(default)" in line for line in out)


def test_train_writes_a_run_directory(tmp_path, capsys):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    assert main(["train", str(exp), "--steps", "30", "--out", str(out)]) == 0
    assert (out / "experiment.toml").is_file()
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    steps = [r["step"] for r in rows if "event" not in r]
    assert steps == list(range(1, 31))
    first = next(r for r in rows if "event" not in r)
    for key in (
        "time",
        "segment",
        "d_loss",
        "g_loss",
        "d_real",
        "d_fake",
        "grad_norm_d",
        "grad_norm_g",
        "lr_d",
        "lr_g",
        "grad_norm_d_layers",
    ):
        assert key in first
    ckpt = out / "checkpoints" / "step_00000030.pt"
    assert load_checkpoint(ckpt)["step"] == 30
    assert "done: step 30" in capsys.readouterr().out


def test_train_without_an_experiment_trains_the_built_in_default(tmp_path, capsys):
    from ganlab.kernel.presets import DEFAULT_PRESET, load_preset
    from ganlab.kernel.rundir import RunDir

    out = tmp_path / "run"
    assert main(["train", "--steps", "5", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"(the default preset, {DEFAULT_PRESET})" in said
    assert RunDir.open_existing(out).experiment().name == load_preset(DEFAULT_PRESET).name


def test_train_keeps_a_history_of_its_views(tmp_path):
    from ganlab.kernel import reports as rep
    from ganlab.kernel.history import History

    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    assert main(["train", str(exp), "--steps", "30", "--out", str(out), "--quiet"]) == 0
    history = History(out)
    frames = history.frames()
    # The first view (before training) and the last (its end), whatever the pace.
    assert frames[0].step == 0
    assert frames[-1].step == 30
    last = history.load(frames[-1])
    assert isinstance(last, rep.ToySnapshot)
    assert last.fake.shape == (32, 2)
    info = history.segment(frames[-1].segment)
    assert info is not None
    assert info.data_kind == "toy2d"
    assert len(info.real) > 0


def test_train_history_fps_sets_the_pace_of_the_views_and_of_the_history(
    tmp_path, monkeypatch, capsys
):
    from ganlab.engine import loop, recorder
    from ganlab.kernel.history import History

    seen: dict[str, float] = {}
    real_run, real_writer = loop.run, recorder.HistoryWriter

    def run(*args, **kwargs):
        seen["snapshot_hz"] = kwargs["snapshot_hz"]
        return real_run(*args, **kwargs)

    def writer(path, every_s):
        seen["every_s"] = every_s
        return real_writer(path, every_s=every_s)

    monkeypatch.setattr(loop, "run", run)
    monkeypatch.setattr(recorder, "HistoryWriter", writer)
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    argv = ["train", str(exp), "--steps", "20", "--out", str(out), "--quiet"]
    assert main([*argv, "--history-fps", "20"]) == 0
    assert seen == {"snapshot_hz": 20.0, "every_s": 0.05}
    assert History(out).frames()[-1].step == 20
    for bad in ("0", "31", "nan"):
        with pytest.raises(SystemExit) as exit_:
            main([*argv[:-3], "--out", str(tmp_path / bad), "--history-fps", bad])
        assert exit_.value.code == 2
        assert "--history-fps" in capsys.readouterr().err
        assert not (tmp_path / bad).exists()


def test_train_keeps_only_the_newest_checkpoints_when_asked(tmp_path):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    argv = ["train", str(exp), "--steps", "30", "--out", str(out), "--quiet"]
    assert main([*argv, "--checkpoint-every", "10", "--keep-checkpoints", "2"]) == 0
    names = sorted(p.name for p in (out / "checkpoints").iterdir())
    assert names == ["step_00000020.pt", "step_00000030.pt"]


def test_train_refuses_keeping_no_checkpoint_naming_the_option(tmp_path, capsys):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    argv = ["train", str(exp), "--out", str(tmp_path / "run"), "--keep-checkpoints", "0"]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code != 0
    assert "--keep-checkpoints" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_train_stops_naming_a_checkpoint_it_cannot_write(tmp_path, capsys):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    blocked = out / "checkpoints" / "step_00000010.pt"
    blocked.mkdir(parents=True)  # a folder where the checkpoint must go
    argv = ["train", str(exp), "--steps", "30", "--out", str(out), "--quiet"]
    assert main([*argv, "--checkpoint-every", "10"]) == 1
    err = capsys.readouterr().err
    assert str(blocked) in err.replace("\n", " ")
    assert "Free some disk space" in err
    assert json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])["step"] == 10


def test_resume_continues_to_the_same_parameters(tmp_path):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    assert main(["train", str(exp), "--steps", "20", "--out", str(tmp_path / "a"), "--quiet"]) == 0
    assert main(["train", str(exp), "--steps", "12", "--out", str(tmp_path / "b"), "--quiet"]) == 0
    assert main(["train", "--resume", str(tmp_path / "b"), "--steps", "20", "--quiet"]) == 0
    a = load_checkpoint(tmp_path / "a" / "checkpoints" / "step_00000020.pt")
    b = load_checkpoint(tmp_path / "b" / "checkpoints" / "step_00000020.pt")
    for net in ("g", "d"):
        for key in a[net]:
            assert torch.equal(a[net][key], b[net][key])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[loop]\nbatch_size = -4\n", "loop.batch_size"),
        ("[loop\n", "not valid TOML"),
        ('[data]\nsource = "ring9"\n', "unknown data source 'ring9'"),
        ("[model]\nwidth = 3\n", "model.width"),
        (
            '[data]\nsource = "image_folder"\npath = "/definitely/not/here"\n',
            "/definitely/not/here",
        ),
    ],
)
def test_bad_experiment_file_exits_2_with_a_message_and_no_traceback(
    tmp_path, capsys, text, fragment
):
    exp = tmp_path / "bad.toml"
    exp.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["train", str(exp), "--steps", "5", "--out", str(tmp_path / "run")])
    assert info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())  # the message is wrapped into a paragraph
    assert fragment in err
    assert "Traceback" not in err
    assert not (tmp_path / "run").exists()  # nothing written for a refused experiment


def test_a_hostile_newest_checkpoint_is_refused_and_skipped_without_side_effect(tmp_path, capsys):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    run = tmp_path / "run"
    assert main(["train", str(exp), "--steps", "5", "--out", str(run), "--quiet"]) == 0
    sentinel = tmp_path / "pwned"
    ckpt = run / "checkpoints" / "step_00000005.pt"
    state = torch.load(ckpt, weights_only=True)
    from tests.kernel.test_checkpoint import SideEffect

    state["history"] = [SideEffect(str(sentinel))]
    torch.save(state, run / "checkpoints" / "step_00000009.pt")
    capsys.readouterr()
    assert main(["train", "--resume", str(run), "--steps", "20"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "step_00000009.pt: refused" in err
    assert "pathlib" in err  # the type it would have had to unpickle
    assert "resumed from step_00000005.pt" in err
    assert not sentinel.exists()


def test_unknown_preset_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--preset", "nope", "--steps", "3"])
    assert info.value.code == 2
    assert "ring8" in capsys.readouterr().err  # lists the known presets


def test_unknown_option_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--stepz", "3"])
    assert info.value.code == 2


def test_data_sample_writes_npy(tmp_path):
    out = tmp_path / "ring.npy"
    assert main(["data", "sample", "--source", "ring8", "--n", "500", "--out", str(out)]) == 0
    x = np.load(out)
    assert x.shape == (500, 2)
    assert np.allclose(np.linalg.norm(x, axis=1).mean(), 1.0, atol=0.05)


def test_data_sample_of_an_image_source_writes_nchw_in_minus_one_one(tmp_path, capsys):
    out = tmp_path / "x.npy"
    assert main(["data", "sample", "--source", "shapes", "--n", "5", "--out", str(out)]) == 0
    x = np.load(out)
    assert x.shape == (5, 1, 28, 28)
    assert x.dtype == np.float32
    assert -1.0 <= x.min() < x.max() <= 1.0


def test_data_sample_refuses_an_unknown_output_format(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["data", "sample", "--source", "ring8", "--n", "5", "--out", str(tmp_path / "x.csv")])
    assert info.value.code == 2
    assert ".npy or .npz" in capsys.readouterr().err


def test_help_lists_the_labs_options_and_every_command(capsys):
    from ganlab.cli import COMMANDS

    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("EXPERIMENT", "--run DIR", "--lang CODE", "--smoke-test", "--timeout"):
        assert option in out
    lines = out.splitlines()
    for name, text in COMMANDS.items():  # one line each: the name, then its help
        assert any(line.split()[:1] == [name] and text in line for line in lines), name


def test_a_commands_help_is_still_its_own(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--resume RUN_DIR" in out
    assert "--smoke-test" not in out


def test_opening_a_run_hands_the_window_its_checkpoint_and_history(tmp_path, monkeypatch):
    from ganlab.app import main as app_main

    exp = write_tiny_experiment(tmp_path / "exp.toml")
    run = tmp_path / "run"
    assert main(["train", str(exp), "--steps", "25", "--out", str(run), "--quiet"]) == 0
    opened = {}

    def window_opened(config, **kwargs):
        opened.update(kwargs)
        return 0

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(app_main, "run_app", window_opened)
    assert main(["--run", str(run)]) == 0
    assert opened["resume_from"] == str(run / "checkpoints" / "step_00000025.pt")
    assert opened["history_from"] == str(run)
    history = app_main.run_history(opened["history_from"], opened["resume_from"])
    assert history is not None
    np.testing.assert_array_equal(history.steps, np.arange(1, 26))


# ------------------------------------------------------------ --attach: what is wrong, and the fix


def _attach_fails(argv_path, capsys, monkeypatch) -> str:
    """Run ``ganlab --attach PATH``: it must exit 2 before any window opens; the message."""
    import ganlab.app.main

    def no_window(*args, **kwargs):
        raise AssertionError("a window opened")

    monkeypatch.setattr(ganlab.app.main, "run_app", no_window)
    monkeypatch.setattr(ganlab.app.main, "check_display", lambda: None)
    with pytest.raises(SystemExit) as info:
        main(["--attach", str(argv_path)])
    assert info.value.code == 2
    return " ".join(capsys.readouterr().err.split())


def _a_run(path: pathlib.Path, *, checkpoint: bool) -> pathlib.Path:
    path.mkdir()
    write_tiny_experiment(path / "experiment.toml")
    if checkpoint:
        (path / "checkpoints").mkdir()
        (path / "checkpoints" / "step_00000010.pt").write_bytes(b"x")
    return path


def test_attach_to_a_missing_folder_names_it(tmp_path, capsys, monkeypatch):
    err = _attach_fails(tmp_path / "nowhere", capsys, monkeypatch)
    assert f"{tmp_path / 'nowhere'}: no such folder" in err


def test_attach_to_a_folder_that_is_no_run_says_so(tmp_path, capsys, monkeypatch):
    err = _attach_fails(tmp_path, capsys, monkeypatch)
    assert f"{tmp_path}: not a ganlab run directory (no experiment.toml)" in err


def test_attach_to_a_finished_run_says_how_to_see_and_continue_it(tmp_path, capsys, monkeypatch):
    run = _a_run(tmp_path / "run", checkpoint=True)
    err = _attach_fails(run, capsys, monkeypatch)
    assert "no trainer serves this run now" in err
    assert f"'ganlab --run {run}'" in err
    assert f"'ganlab train --resume {run} --steps N'" in err


def test_attach_to_a_run_without_a_checkpoint_never_suggests_resume(tmp_path, capsys, monkeypatch):
    run = _a_run(tmp_path / "run", checkpoint=False)
    err = _attach_fails(run, capsys, monkeypatch)
    assert "no trainer serves this run now" in err
    assert "--resume" not in err  # it would fail: nothing to resume from
    assert f"ganlab train {run / 'experiment.toml'} --out NEW_DIR" in err


@pytest.mark.skipif(sys.platform == "win32", reason="Unix permissions")
def test_attach_with_a_secret_others_can_read_fails_before_any_window(
    tmp_path, capsys, monkeypatch
):
    import os

    from ganlab.engine.channel import ENDPOINT_FILE, SECRET_FILE

    run = _a_run(tmp_path / "run", checkpoint=False)
    endpoint = {"family": "AF_UNIX", "address": "/nowhere", "pid": os.getpid(), "control": True}
    (run / ENDPOINT_FILE).write_text(json.dumps(endpoint))  # a live trainer: this process
    secret = run / SECRET_FILE
    secret.write_bytes(b"s" * 32)
    secret.chmod(0o644)
    err = _attach_fails(run, capsys, monkeypatch)
    assert f"chmod 600 {secret}" in err


def test_the_lab_s_usage_names_attach(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--attach RUN_DIR" in capsys.readouterr().out.split("\n\n")[0]


def test_an_interrupted_run_without_a_checkpoint_is_not_sent_to_resume(tmp_path, capsys):
    from types import SimpleNamespace

    from ganlab.cli import _interrupted
    from ganlab.kernel.rundir import RunDir

    run = RunDir(_a_run(tmp_path / "run", checkpoint=False))
    _interrupted(SimpleNamespace(step_count=0), run, 100)
    err = " ".join(capsys.readouterr().err.split())
    assert "--resume" not in err
    assert f"ganlab train {run.path / 'experiment.toml'} --out {run.path}" in err
    (run.path / "checkpoints").mkdir()
    (run.path / "checkpoints" / "step_00000010.pt").write_bytes(b"x")
    _interrupted(SimpleNamespace(step_count=10), run, 100)
    assert f"ganlab train --resume {run.path} --steps 100" in capsys.readouterr().err


def test_ganlab_sources_lines_up_the_titles_of_every_data_kind(capsys):
    from ganlab.kernel.registry import DATA_SOURCES

    assert main(["sources"]) == 0
    lines = capsys.readouterr().out.splitlines()
    starts = set()
    for name, entry in DATA_SOURCES.items():
        (line,) = [ln for ln in lines if ln.split()[:1] == [name]]
        starts.add(line.index(entry.title))
    assert len(starts) == 1, starts
