"""Real users' runs: runs that move between machines, damaged checkpoints, any console,
half-made run directories, headless diagnoses, and `ganlab data sample` on every source."""

from __future__ import annotations

import json
import os
import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from ganlab.cli import main
from ganlab.engine.trainer import Trainer
from ganlab.kernel import config as cfg
from ganlab.kernel.checkpoint import load_checkpoint, save_checkpoint
from ganlab.kernel.registry import DATA_SOURCES, MODEL_FAMILIES
from ganlab.kernel.rundir import RunDir
from tests.data.test_vision import write_fake_mnist
from tests.test_cli import write_tiny_experiment

REPO = pathlib.Path(__file__).resolve().parents[1]


def make_run(tmp_path: pathlib.Path, steps: int = 6, every: int = 0) -> pathlib.Path:
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "run"
    argv = ["train", str(exp), "--steps", str(steps), "--out", str(out), "--quiet"]
    if every:
        argv += ["--checkpoint-every", str(every)]
    assert main(argv) == 0
    return out


def as_if_trained_on(run: pathlib.Path, device: str) -> None:
    """Rewrite a run's experiment and checkpoints as a run made with loop.device = device
    (what a run copied from a GPU workstation holds)."""
    toml = run / "experiment.toml"
    toml.write_text(toml.read_text().replace('device = "cpu"', f'device = "{device}"'))
    for ckpt in (run / "checkpoints").glob("step_*.pt"):
        state = load_checkpoint(ckpt)
        state["config_toml"] = state["config_toml"].replace(
            'device = "cpu"', f'device = "{device}"'
        )
        save_checkpoint(state, ckpt)


# ------------------------------------------------------------ runs that move between machines


def test_a_cuda_run_resumes_on_a_cpu_machine_with_one_note(tmp_path, capsys):
    run = make_run(tmp_path)
    as_if_trained_on(run, "cuda")
    capsys.readouterr()
    assert main(["train", "--resume", str(run), "--steps", "10"]) == 0
    err = capsys.readouterr().err
    assert err.count("loop.device = 'cuda'") == 1, err
    assert "runs on the CPU instead" in err
    assert load_checkpoint(RunDir(run).latest_checkpoint())["step"] == 10


def test_device_cpu_wins_over_the_runs_cuda_without_a_note(tmp_path, capsys):
    run = make_run(tmp_path)
    as_if_trained_on(run, "cuda:1")
    capsys.readouterr()
    assert main(["train", "--resume", str(run), "--steps", "9", "--device", "cpu"]) == 0
    assert "instead" not in capsys.readouterr().err


def test_asking_for_a_missing_device_now_is_refused_naming_the_option(tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: the refusal is for machines without it")
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    with pytest.raises(SystemExit) as info:
        main(["train", str(exp), "--steps", "3", "--out", str(tmp_path / "r"), "--device", "cuda"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--device" in err
    assert "no CUDA GPU" in err
    assert not (tmp_path / "r").exists()


def test_a_cuda_checkpoint_loads_into_a_trainer_on_this_machine(tmp_path):
    run = make_run(tmp_path)
    as_if_trained_on(run, "cuda")
    config = RunDir(run).experiment()
    trainer = Trainer(config)  # the run's own setting: falls back
    assert trainer.device.type in ("cpu", "mps") or torch.cuda.is_available()
    if not torch.cuda.is_available():
        assert trainer.device_note
        assert "cuda" in trainer.device_note
    trainer.load_state_dict(load_checkpoint(RunDir(run).latest_checkpoint()))
    assert trainer.step_count == 6
    assert trainer.config.loop.device == "cuda"  # the run's setting is kept, not rewritten


def test_the_window_loop_reports_the_fallback_once(tmp_path):
    import queue

    from ganlab.engine.loop import run as run_loop
    from ganlab.kernel import commands as cmd
    from ganlab.kernel import reports as rep

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: nothing falls back")
    run = make_run(tmp_path)
    as_if_trained_on(run, "cuda")
    inbox: queue.Queue = queue.Queue()
    reports = run_loop(RunDir(run).experiment(), inbox, resume_from=str(run), start_paused=True)
    seen = []
    for report in reports:
        seen.append(report)
        if isinstance(report, rep.SegmentStarted):
            inbox.put(cmd.Reset())  # a rebuild must not repeat the note
        if sum(isinstance(r, rep.SegmentStarted) for r in seen) == 2:
            inbox.put(cmd.Stop())
    notes = [r.message for r in seen if isinstance(r, rep.LogMessage) and "instead" in r.message]
    assert len(notes) == 1
    assert "loop.device = 'cuda'" in notes[0]
    started = [r for r in seen if isinstance(r, rep.SegmentStarted)]
    assert started[0].reason == "checkpoint"
    assert started[0].step == 6


# ------------------------------------------------------------ damaged checkpoints


def _damage(path: pathlib.Path, how: str) -> None:
    import argparse

    if how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "zero bytes":
        path.write_bytes(b"")
    elif how == "text":
        path.write_text("this is not a checkpoint\n")
    elif how == "foreign pickle":
        torch.save({"opt": argparse.Namespace(lr=1), "x": np.float64(1.0)}, path)
    elif how == "another torch file":
        torch.save({"weights": torch.zeros(3)}, path)
    elif how == "plain pickle":
        path.write_bytes(pickle.dumps({"step": 6}))


DAMAGES = [
    "truncated",
    "zero bytes",
    "text",
    "foreign pickle",
    "another torch file",
    "plain pickle",
]


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_newest_checkpoint_is_named_and_the_run_resumes_from_the_one_before(
    tmp_path, capsys, how
):
    run = make_run(tmp_path, steps=8, every=4)
    newest = RunDir(run).latest_checkpoint()
    assert newest is not None
    assert newest.name == "step_00000008.pt"
    _damage(newest, how)
    capsys.readouterr()
    assert main(["train", "--resume", str(run), "--steps", "12", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "step_00000008.pt" in err
    assert "step_00000004.pt" in err
    assert "\x1b[" not in err  # no raw terminal codes
    assert newest.exists()  # nothing is lost: the damaged file stays for inspection
    assert load_checkpoint(RunDir(run).latest_checkpoint())["step"] == 12


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_every_checkpoint_damaged_lists_each_file(tmp_path, capsys):
    run = make_run(tmp_path, steps=8, every=4)
    for ckpt, how in zip(RunDir(run).checkpoints_newest_first(), DAMAGES, strict=False):
        _damage(ckpt, how)
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(["train", "--resume", str(run), "--steps", "12"])
    assert info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "step_00000008.pt" in err
    assert "step_00000004.pt" in err
    assert "no intact checkpoint" in err


def test_a_foreign_checkpoint_names_every_type_in_plain_text(tmp_path):
    import argparse

    from ganlab.kernel.errors import CheckpointError

    path = tmp_path / "foreign.pt"
    torch.save({"step": np.float64(3.0), "args": argparse.Namespace(lr=0.1)}, path)
    with pytest.raises(CheckpointError) as info:
        load_checkpoint(path)
    message = str(info.value)
    assert "argparse.Namespace" in message
    assert "numpy" in message
    assert "scalar" in message
    assert "\x1b" not in message
    assert "\n" not in message
    assert str(path) in message


# ------------------------------------------------------------ any console, any name


CONSOLES = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "LANG=C": {"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
}


@pytest.mark.parametrize("console", sorted(CONSOLES))
def test_any_console_prints_any_name(tmp_path, console):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    exp.write_text('name = "Ω 実験"\n' + exp.read_text(encoding="utf-8"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIO", "LC_", "LANG"))}
    env.update(CONSOLES[console])
    argv = [sys.executable, "-m", "ganlab", "train", str(exp), "--steps", "5", "--out"]
    done = subprocess.run(
        [*argv, str(tmp_path / "d")], env=env, capture_output=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    out = done.stdout.decode("ascii", "replace")
    assert "Traceback" not in done.stderr.decode("utf-8", "replace")
    assert "ganlab: ? ??" in out  # the name, with what the console cannot show replaced
    assert "done: step 5" in out


def test_a_run_that_fails_before_its_first_step_leaves_no_directory(tmp_path, monkeypatch):
    import ganlab.cli

    def fail(*args, **kwargs):
        raise RuntimeError("the console went away")

    monkeypatch.setattr(ganlab.cli, "_train_loop", fail)
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    with pytest.raises(RuntimeError):
        main(["train", str(exp), "--steps", "5", "--out", str(tmp_path / "d")])
    assert not (tmp_path / "d").exists()


def test_a_half_made_run_directory_is_accepted_by_a_re_run(tmp_path, capsys):
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    out = tmp_path / "d"
    RunDir.create(out, cfg.load(exp))  # what a crash before the first step used to leave
    assert main(["train", str(exp), "--steps", "5", "--out", str(out)]) == 0
    assert "never trained" in capsys.readouterr().err
    assert load_checkpoint(RunDir(out).latest_checkpoint())["step"] == 5


def test_a_trained_run_directory_is_still_refused(tmp_path, capsys):
    run = make_run(tmp_path)
    exp = tmp_path / "exp.toml"
    with pytest.raises(SystemExit) as info:
        main(["train", str(exp), "--steps", "5", "--out", str(run)])
    assert info.value.code == 2
    assert "--resume" in capsys.readouterr().err
    assert load_checkpoint(RunDir(run).latest_checkpoint())["step"] == 6


# ------------------------------------------------------------ headless runs speak


def exploding(path: pathlib.Path) -> pathlib.Path:
    """D's learning rate of 10 on the default networks: D explodes within a few steps."""
    path.write_text(
        '[optimizer_d]\nlr = 10.0\n[loop]\nbatch_size = 64\ndevice = "cpu"\nthreads = 1\n',
        encoding="utf-8",
    )
    return path


def test_a_headless_run_prints_each_diagnosis_in_the_windows_words(tmp_path, capsys):
    exp = exploding(tmp_path / "exp.toml")
    out = tmp_path / "d"
    main(["train", str(exp), "--steps", "200", "--out", str(out)])
    err = capsys.readouterr().err
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    diagnoses = [r for r in rows if r.get("event") == "diagnosis"]
    assert diagnoses, "the run was meant to explode"
    for d in diagnoses:
        line = f"ganlab: step {d['step']} — "
        assert " ".join(err.split()).count(" ".join(f"{line}".split())) >= 1
        assert " ".join(d["message"].split()) in " ".join(err.split())
    assert " ".join(err.split()).count(" ".join(diagnoses[0]["message"].split())) == 1


def test_quiet_silences_the_diagnoses(tmp_path, capsys):
    exp = exploding(tmp_path / "exp.toml")
    main(["train", str(exp), "--steps", "200", "--out", str(tmp_path / "d"), "--quiet"])
    assert "Exploding" not in capsys.readouterr().err


def test_a_cleared_diagnosis_is_printed_once(tmp_path, capsys, monkeypatch):
    from ganlab.engine import loop
    from ganlab.kernel import reports as rep

    def scripted(config, inbox, **kwargs):
        yield rep.Diagnosis(
            0, 40, "mode_collapse", "warning", "G covers 2 of 8 modes.", {}, "Mode collapse"
        )
        yield rep.DiagnosisCleared(0, 900, "mode_collapse", "Mode collapse")

    monkeypatch.setattr(loop, "run", scripted)
    exp = write_tiny_experiment(tmp_path / "exp.toml")
    assert main(["train", str(exp), "--steps", "5", "--out", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "ganlab: step 40 — Mode collapse: G covers 2 of 8 modes." in err
    assert err.count("ganlab: step 900 — Mode collapse: cleared") == 1


# ------------------------------------------------------------ ganlab data sample


def _experiment_for_source(name: str, tmp_path: pathlib.Path) -> dict:
    entry = DATA_SOURCES.get(name)
    data: dict = {"source": name}
    family = next(  # as 'ganlab data sample --source' picks: mlp, dcgan, pix2pix, ...
        n for n, f in MODEL_FAMILIES.items() if entry.kind in f.data_kinds and not f.conditional
    )
    if entry.kind == "image":
        family = "dcgan"
    if name == "csv_points":
        (tmp_path / "p.csv").write_text("x;y\n0,5;1,5\n-1,0;2,0\n3,0;0,25\n")
        data["path"] = str(tmp_path / "p.csv")
    elif name == "drawn":
        data["points"] = [[0.0, 1.0], [1.0, 0.0]]
    elif name == "image_folder":
        for cls in ("cat", "dog"):
            (tmp_path / "imgs" / cls).mkdir(parents=True)
            for i in range(3):
                Image.new("RGB", (10, 12), (40 * i, 100, 200)).save(
                    tmp_path / "imgs" / cls / f"{i}.png"
                )
        data["path"] = str(tmp_path / "imgs")
    elif name in ("mnist", "fashion_mnist"):
        write_fake_mnist(tmp_path, "MNIST" if name == "mnist" else "FashionMNIST")
        data.update(root=str(tmp_path), download=False)
    elif name == "cifar10":
        data.update(root=str(tmp_path), download=False)
    elif name == "pix2pix_folder":  # A/ and B/ with the same names
        for side, colour in (("A", (255, 255, 255)), ("B", (200, 40, 40))):
            (tmp_path / "pairs" / side).mkdir(parents=True)
            for i in range(6):
                Image.new("RGB", (12, 12), tuple(c // (i + 1) for c in colour)).save(
                    tmp_path / "pairs" / side / f"{i}.png"
                )
        data["path"] = str(tmp_path / "pairs")
    elif name == "unpaired_folder":  # CycleGAN's trainA/ and trainB/
        for side in ("trainA", "trainB"):
            (tmp_path / "domains" / side).mkdir(parents=True)
            for i in range(6):
                Image.new("RGB", (12, 12), (30 * i, 90 if side == "trainA" else 200, 10)).save(
                    tmp_path / "domains" / side / f"{side}{i}.png"
                )
        data["path"] = str(tmp_path / "domains")
    if entry.kind in ("image", "paired", "unpaired"):
        data.update(image_size=28, channels=1)
    return {
        "name": f"sample {name}",
        "data": data,
        "model": {"family": family, "base_channels": 8},
        "loop": {"batch_size": 8, "device": "cpu", "threads": 1, "seed": 3},
    }


def _write_fake_cifar(root: pathlib.Path, monkeypatch) -> None:
    import torchvision.datasets

    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {"data": rng.integers(0, 256, (4, 3072), dtype=np.uint8), "labels": [0, 1, 2, 3]}
        (folder / name).write_bytes(pickle.dumps(batch))
    meta = {
        "label_names": [
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ]
    }
    (folder / "batches.meta").write_bytes(pickle.dumps(meta))
    # torchvision checks the real files' MD5 sums; these stand-ins have other bytes.
    monkeypatch.setattr(torchvision.datasets.CIFAR10, "_check_integrity", lambda self: True)
    monkeypatch.setattr(torchvision.datasets.cifar, "check_integrity", lambda *a, **k: True)


@pytest.mark.parametrize("name", list(DATA_SOURCES))
def test_data_sample_writes_what_the_trainer_draws_for_every_source(tmp_path, monkeypatch, name):
    import tomli_w

    table = _experiment_for_source(name, tmp_path)
    if name == "cifar10":
        _write_fake_cifar(tmp_path, monkeypatch)
    exp = tmp_path / "exp.toml"
    exp.write_bytes(tomli_w.dumps(table).encode())
    out = tmp_path / "x.npz"
    assert main(["data", "sample", str(exp), "--n", "12", "--out", str(out)]) == 0
    saved = np.load(out)
    x = saved["x"]
    assert x.dtype == np.float32
    assert len(x) == 12

    trainer = Trainer(cfg.load(exp))  # what D's first two updates receive, drawn by training
    batches = [trainer._real_batch(8) for _ in range(2)]
    expected = torch.cat([b[0] for b in batches])[:12].numpy()
    np.testing.assert_array_equal(x, expected)
    if trainer.spec.is_image or trainer.spec.is_translation:
        assert x.shape[1:] == trainer.spec.shape  # pairs: (2, C, H, W), A then B
        assert x.min() >= -1.0
        assert x.max() <= 1.0
    else:
        assert x.shape == (12, trainer.spec.dim)
    if batches[0][1] is not None:
        labels = torch.cat([b[1] for b in batches])[:12].numpy()
        np.testing.assert_array_equal(saved["labels"], labels)
        assert list(saved["class_names"]) == list(trainer.spec.class_names)
    else:
        assert "labels" not in saved


def test_data_sample_npy_writes_labels_and_class_names_beside(tmp_path, capsys):
    out = tmp_path / "s.npy"
    assert main(["data", "sample", "--preset", "shapes_cgan", "--n", "20", "--out", str(out)]) == 0
    x = np.load(out)
    assert x.shape == (20, 3, 32, 32)
    labels = np.load(tmp_path / "s_labels.npy")
    names = (tmp_path / "s_classes.txt").read_text(encoding="utf-8").splitlines()
    assert labels.shape == (20,)
    assert labels.max() < len(names) == 6
    assert "s_labels.npy" in capsys.readouterr().out


def test_data_sample_does_not_disturb_training(tiny):
    a, b = Trainer(tiny), Trainer(tiny)
    a.real_batches(100)
    np.testing.assert_array_equal(a._real_batch(16)[0].numpy(), b._real_batch(16)[0].numpy())


# ------------------------------------------------------------ points files and settings


def _wide_csv(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "wide.csv"
    rows = [f"{i / 10:.1f};{i % 7};{-i / 20:.2f}".replace(".", ",") for i in range(40)]
    path.write_text("t;x;y\r\n" + "\r\n".join(rows) + "\r\n", encoding="utf-8-sig")
    return path


def test_train_columns_picks_two_of_a_wide_points_file(tmp_path, capsys):
    exp = tmp_path / "exp.toml"
    exp.write_text(
        f'[data]\nsource = "csv_points"\npath = "{_wide_csv(tmp_path).as_posix()}"\n'
        '[loop]\nbatch_size = 16\ndevice = "cpu"\nthreads = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        main(["train", str(exp), "--steps", "3", "--out", str(tmp_path / "a")])
    assert "--columns" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    out = tmp_path / "b"
    assert main(["train", str(exp), "--steps", "3", "--out", str(out), "--columns", "x,y"]) == 0
    assert cfg.load(out / "experiment.toml").data.columns == ["x", "y"]
    sample = tmp_path / "s.npy"
    argv = ["data", "sample", str(exp), "--n", "40", "--out", str(sample), "--columns", "2"]
    assert main(argv) == 0
    assert np.load(sample).shape == (40, 1)
    assert np.load(sample).min() == pytest.approx(-1.95)


def test_train_prints_settings_that_do_not_apply(tmp_path, capsys):
    exp = write_tiny_experiment(
        tmp_path / "exp.toml", '[loss]\nname = "hinge"\nlabel_smoothing = 0.1\n'
    )
    assert main(["train", str(exp), "--steps", "3", "--out", str(tmp_path / "d")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "ganlab: warning:" in err
    assert "loss.label_smoothing = 0.1 has no effect with loss 'hinge'" in err


def test_the_window_opens_a_run_at_its_newest_intact_checkpoint(tmp_path, capsys, monkeypatch):
    import ganlab.app.main

    opened = {}
    monkeypatch.setattr(ganlab.app.main, "check_display", lambda: None)
    monkeypatch.setattr(ganlab.app.main, "run_app", lambda config, **kw: opened.update(kw) or 0)
    run = make_run(tmp_path, steps=8, every=4)
    _damage(RunDir(run).latest_checkpoint(), "truncated")
    capsys.readouterr()
    assert main(["--run", str(run)]) == 0
    assert opened["resume_from"].endswith("step_00000004.pt")
    err = capsys.readouterr().err
    assert "step_00000008.pt" in err
    assert "newest intact" in err


def test_a_run_on_a_folder_with_bad_files_lists_every_skipped_file(tmp_path, capsys):
    folder = tmp_path / "imgs"
    for cls in ("cat", "dog"):
        (folder / cls).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (10, 10), (60 * i, 90, 200)).save(folder / cls / f"{i}.png")
    (folder / "cat" / "empty.png").write_bytes(b"")
    (folder / "dog" / "notes.png").write_text("not an image")
    (folder / "empty_class").mkdir()
    Image.new("RGB", (10, 10)).save(folder / "stray.png")
    exp = tmp_path / "exp.toml"
    exp.write_text(
        f'[data]\nsource = "image_folder"\npath = "{folder.as_posix()}"\n'
        '[model]\nfamily = "dcgan"\nbase_channels = 8\n'
        '[loop]\nbatch_size = 4\ndevice = "cpu"\nthreads = 1\n',
        encoding="utf-8",
    )
    out = tmp_path / "run"
    assert main(["train", str(exp), "--steps", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in ("cat/empty.png", "dog/notes.png", "stray.png", "empty_class"):
        assert name in printed, name
    listed = (out / "skipped_files.tsv").read_text(encoding="utf-8")
    for name in ("cat/empty.png", "dog/notes.png", "stray.png"):
        assert name in listed, name


def test_an_explosion_in_the_first_steps_never_leaves_exploded_weights(tmp_path, capsys):
    exp = exploding(tmp_path / "exp.toml")
    exp.write_text(exp.read_text() + "[optimizer_g]\nlr = 10.0\n", encoding="utf-8")
    out = tmp_path / "d"
    main(["train", str(exp), "--steps", "200", "--out", str(out)])
    assert "has been restored" in " ".join(capsys.readouterr().err.split())
    # Restored to the starting weights: nothing after step 0 is kept, so no checkpoint.
    assert RunDir(out).checkpoints_newest_first() == []
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["train", "--resume", str(out), "--steps", "300"])
    assert "no checkpoint to resume from" in " ".join(capsys.readouterr().err.split())


def test_a_restored_state_is_what_the_window_loop_goes_on_from(tiny):
    """The loop's start state is a good state: an explosion at step 1 goes back to it."""
    import dataclasses
    import queue

    from ganlab.engine.loop import run as run_loop
    from ganlab.kernel import commands as cmd
    from ganlab.kernel import reports as rep

    config = dataclasses.replace(
        tiny,
        optimizer_d=dataclasses.replace(tiny.optimizer_d, lr=10.0),
        optimizer_g=dataclasses.replace(tiny.optimizer_g, lr=10.0),
        model=dataclasses.replace(tiny.model, d_hidden=64, g_hidden=64),
        loop=dataclasses.replace(tiny.loop, batch_size=64, steps=300),
    )
    trainer = Trainer(config)
    start = {k: v.clone() for k, v in trainer.G.state_dict().items()}
    inbox: queue.Queue = queue.Queue()
    errors = []
    for report in run_loop(config, inbox, trainer=trainer, snapshots=False):
        if isinstance(report, rep.TrainingError):
            errors.append(report.message)
            inbox.put(cmd.Stop())
    assert errors, "the run was meant to explode"
    assert "last good state (step 0) has been restored" in errors[0]
    for key, value in trainer.G.state_dict().items():
        assert torch.equal(value, start[key]), key


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ω 実験", "ω-実験"),
        ("Ring of 8", "ring-of-8"),
        ("a/b\\c:d*e?", "a-b-c-d-e"),
        ("???", "run"),
    ],
)
def test_a_run_directory_keeps_the_names_letters(name, slug):
    from ganlab.kernel.rundir import default_run_dir

    path = default_run_dir(cfg.ExperimentConfig(name=name), base="/nonexistent")
    assert path.name.split("-", 2)[2] == slug
