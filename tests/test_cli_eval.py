"""ganlab eval: JSON out, exit 2 with a message for bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ganlab.cli import main
from ganlab.metrics import features


def run_json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_toy_on_real_ring_samples_finds_every_mode(tmp_path, capsys):
    samples = tmp_path / "ring.npy"
    assert (
        main(
            [
                "data",
                "sample",
                "--source",
                "ring8",
                "--n",
                "2500",
                "--out",
                str(samples),
                "--seed",
                "5",
            ]
        )
        == 0
    )
    capsys.readouterr()
    out = run_json(capsys, ["eval", "toy", "--samples", str(samples), "--source", "ring8"])
    assert out["modes"] == 8
    assert out["num_modes"] == 8
    assert out["high_quality"] > 0.95
    assert out["reverse_kl"] < 0.01
    assert out["jsd"] < 0.1
    assert out["exact_density"] is True


def test_eval_toy_on_a_collapsed_generator_counts_one_mode(tmp_path, capsys):
    samples = tmp_path / "one.npy"
    rng = np.random.default_rng(0)
    np.save(samples, np.array([1.0, 0.0]) + 0.01 * rng.standard_normal((2500, 2)))
    out = run_json(capsys, ["eval", "toy", "--samples", str(samples), "--source", "ring8"])
    assert out["modes"] == 1
    assert out["reverse_kl"] == pytest.approx(np.log(8), rel=1e-6)


def test_eval_toy_one_dimensional_reports_w1(tmp_path, capsys):
    samples = tmp_path / "g.npy"
    np.save(samples, np.random.default_rng(0).normal(3.0, 0.5, size=(5000, 1)))
    out = run_json(capsys, ["eval", "toy", "--samples", str(samples), "--source", "gaussian1d"])
    assert out["w1"] == pytest.approx(1.0, abs=0.05)  # gaussian1d is N(2, 0.5): shifted by 1


def test_eval_features_matches_the_library(tmp_path, capsys):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(300, 6)), rng.normal(size=(200, 6)) + 0.3
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    out = run_json(
        capsys,
        ["eval", "features", "--real", str(tmp_path / "a.npy"), "--fake", str(tmp_path / "b.npy")],
    )
    assert out["fid"] == pytest.approx(features.fid(a, b), rel=1e-6)
    assert out["kid_std"] == 0.0  # subset size >= sample count: all samples, deterministic
    assert out["kid_mean"] == pytest.approx(features.kid(a, b)[0], rel=1e-6)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "no such file"),
        (lambda p: np.save(p, np.array([{"x": 1}], dtype=object)), "not a numeric .npy"),
        (lambda p: np.save(p, np.zeros((1, 2))), "N >= 2"),
        (lambda p: np.save(p, np.full((5, 2), np.nan)), "NaN"),
        (lambda p: p.write_bytes(b"garbage"), "not a numeric .npy"),
    ],
)
def test_eval_bad_sample_files_exit_2(tmp_path, capsys, make, fragment):
    path = tmp_path / "bad.npy"
    make(path)
    with pytest.raises(SystemExit) as info:
        main(["eval", "toy", "--samples", str(path), "--source", "ring8"])
    assert info.value.code == 2
    assert fragment in " ".join(capsys.readouterr().err.split())


def test_eval_toy_refuses_samples_of_the_wrong_dimension(tmp_path, capsys):
    np.save(tmp_path / "x.npy", np.zeros((10, 3)))
    with pytest.raises(SystemExit) as info:
        main(["eval", "toy", "--samples", str(tmp_path / "x.npy"), "--source", "ring8"])
    assert info.value.code == 2
    assert "3 columns" in " ".join(capsys.readouterr().err.split())


def test_eval_features_refuses_mismatched_dimensions(tmp_path, capsys):
    np.save(tmp_path / "a.npy", np.zeros((10, 3)))
    np.save(tmp_path / "b.npy", np.zeros((10, 4)))
    with pytest.raises(SystemExit) as info:
        main(
            [
                "eval",
                "features",
                "--real",
                str(tmp_path / "a.npy"),
                "--fake",
                str(tmp_path / "b.npy"),
            ]
        )
    assert info.value.code == 2


def test_eval_images_without_weights_says_what_to_download(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(
            [
                "eval",
                "images",
                "--real",
                "shapes",
                "--fake",
                str(tmp_path),
                "--weights",
                str(tmp_path / "nope.pth"),
            ]
        )
    assert info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "weights-inception-2015-12-05" in err
    assert "nope.pth" in err


def test_eval_images_offline_uses_the_classifier_space_without_weights(
    tmp_path, capsys, monkeypatch
):
    import torch
    from PIL import Image

    from ganlab.core.config import DataConfig
    from ganlab.core.registry import DATA_SOURCES
    from ganlab.metrics import classifier

    real_load = classifier.load_or_train
    monkeypatch.setattr(
        classifier,
        "load_or_train",
        lambda *a, **k: real_load(
            *a, cache_dir=tmp_path / "classifiers", steps=120, data_size=1200, log=k.get("log")
        ),
    )
    folder = tmp_path / "fakes"
    folder.mkdir()
    shapes = DATA_SOURCES.get("shapes").build(
        DataConfig(source="shapes", image_size=32, channels=3, size=300)
    )
    x, _ = shapes.sample(40, torch.Generator().manual_seed(9))
    pixels = ((x + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1)
    for i, img in enumerate(pixels.numpy()):
        Image.fromarray(img).save(folder / f"{i}.png")
    out = run_json(
        capsys,
        [
            "eval",
            "images",
            "--real",
            "shapes",
            "--fake",
            str(folder),
            "--features",
            "classifier",
            "--metrics",
            "fid,kid",
            "--n",
            "40",
        ],
    )
    assert out["feature_space"].startswith("classifier:shapes")
    assert out["classifier_fid"] >= 0.0
    assert "classifier_kid_mean" in out
