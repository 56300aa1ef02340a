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
    assert out["modes_reverse_kl"] < 0.01
    assert out["jsd"] < 0.1
    assert out["exact_density"] is True


def test_eval_toy_on_a_collapsed_generator_counts_one_mode(tmp_path, capsys):
    samples = tmp_path / "one.npy"
    rng = np.random.default_rng(0)
    np.save(samples, np.array([1.0, 0.0]) + 0.01 * rng.standard_normal((2500, 2)))
    out = run_json(capsys, ["eval", "toy", "--samples", str(samples), "--source", "ring8"])
    assert out["modes"] == 1
    assert out["modes_reverse_kl"] == pytest.approx(np.log(8), rel=1e-6)


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

    from ganlab.kernel.config import DataConfig
    from ganlab.kernel.registry import DATA_SOURCES
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
    # shapes has 12000 images: 40 distinct ones; the folder's 40, each once.
    assert (out["n_real"], out["n_fake"]) == (40, 40)
    assert (out["kid_subset_size"], out["kid_subsets"]) == (40, 1)
    assert out["notes"][0].startswith("FID with N < 2048 (here 40)")


# --------------------------------------------------------------------------- the sample


def colour_folder(folder, colours):
    """One tiny flat-coloured PNG per (r, g, b) row of ``colours``, all distinct."""
    from PIL import Image

    folder.mkdir()
    for i, rgb in enumerate(colours):
        Image.new("RGB", (4, 4), tuple(int(c) for c in rgb)).save(folder / f"{i:03d}.png")
    return folder


def distinct_colours(n, seed, grey=False):
    rng = np.random.default_rng(seed)
    if grey:
        values = rng.choice(256, size=n, replace=False)
        return np.stack([values] * 3, axis=1)
    codes = rng.choice(256**3, size=n, replace=False)
    return np.stack([codes // 65536, (codes // 256) % 256, codes % 256], axis=1)


@pytest.fixture
def fidelity(monkeypatch):
    """Stand-in for Inception: accepts any weights path; torch_fidelity.calculate_metrics
    records each image it is given (its mean colour) and computes FID / KID with ganlab's
    own formulas on those 3-d colour features."""
    import torch_fidelity

    from ganlab.metrics import inception

    monkeypatch.setattr(
        inception,
        "verify_weights",
        lambda path: inception.VerifiedWeights(path=path, sha256="0" * 64, method="test"),
    )
    seen: dict = {}

    def calculate_metrics(**kw):
        for key, side in (("input1", "fake"), ("input2", "real")):
            if kw.get(key) is not None:
                data = kw[key]
                seen[side] = np.stack(
                    [data[i].double().mean(dim=(1, 2)).numpy() for i in range(len(data))]
                )
        seen["kw"] = kw
        out = {}
        if kw["fid"]:
            out["frechet_inception_distance"] = features.fid(seen["real"], seen["fake"])
        if kw["kid"]:
            m, s = features.kid(seen["real"], seen["fake"], subset_size=kw["kid_subset_size"])
            out |= {"kernel_inception_distance_mean": m, "kernel_inception_distance_std": s}
        if kw["isc"]:
            out |= {"inception_score_mean": 1.0, "inception_score_std": 0.0}
        return out

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", calculate_metrics)
    return seen


def eval_images(capsys, real, fake, *extra):
    argv = ["eval", "images", "--real", str(real), "--fake", str(fake), *map(str, extra)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), " ".join(captured.err.split())


@pytest.mark.parametrize(
    ("available", "n"),
    [(24, 24), (24, 10), (24, 100)],
    ids=["n equals the folder", "n below the folder", "n above the folder"],
)
def test_eval_images_uses_each_folder_image_at_most_once(tmp_path, capsys, fidelity, available, n):
    real_colours = distinct_colours(available, seed=1)
    fake_colours = distinct_colours(available, seed=2)
    real = colour_folder(tmp_path / "real", real_colours)
    fake = colour_folder(tmp_path / "fake", fake_colours)
    out, err = eval_images(capsys, real, fake, "--n", n, "--metrics", "fid,kid")

    used = min(n, available)
    for side, colours in (("real", real_colours), ("fake", fake_colours)):
        rows = {tuple(r) for r in fidelity[side].round().astype(int)}
        assert len(fidelity[side]) == used
        assert len(rows) == used  # no image twice
        assert rows <= {tuple(c) for c in colours}  # and only the folder's images
    assert (out["n_real"], out["n_fake"]) == (used, used)
    assert out["kid_subset_size"] == used  # 1000 asked, lowered to what exists
    assert out["kid_subsets"] == 1  # every subset would be all the images
    assert f"N = {used} real and {used} generated samples, each used once" in err
    assert any("FID with N < 2048" in note for note in out["notes"])
    assert "note: FID with N < 2048" in err
    if n >= available:  # the whole folder, once each: the FID of the two folders
        assert out["frechet_inception_distance"] == pytest.approx(
            features.fid(real_colours, fake_colours), rel=1e-6
        )
    shortfall = [note for note in out["notes"] if "asked for" in note]
    if n > available:
        assert shortfall == [
            f"real images: asked for {n}, the folder has usable {available}: using "
            f"{available}, each once",
            f"generated images: asked for {n}, the folder has usable {available}: using "
            f"{available}, each once",
        ]
        assert f"asked for {n}, the folder has usable {available}" in err
    else:
        assert shortfall == []


def test_eval_images_stdout_is_only_json(tmp_path, capsys, fidelity):
    real = colour_folder(tmp_path / "real", distinct_colours(6, seed=1))
    fake = colour_folder(tmp_path / "fake", distinct_colours(6, seed=2))
    assert main(["eval", "images", "--real", str(real), "--fake", str(fake), "--n", "9"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)  # would raise on any human line
    assert set(out) >= {"n_real", "n_fake", "kid_subset_size", "kid_subsets", "notes"}
    assert "ganlab: N = 6 real and 6 generated" in captured.err


@pytest.mark.parametrize(
    ("grey_real", "grey_fake"), [(True, False), (False, True), (True, True), (False, False)]
)
def test_eval_images_notes_grayscale_images(tmp_path, capsys, fidelity, grey_real, grey_fake):
    real = colour_folder(tmp_path / "real", distinct_colours(8, seed=1, grey=grey_real))
    fake = colour_folder(tmp_path / "fake", distinct_colours(8, seed=2, grey=grey_fake))
    out, err = eval_images(capsys, real, fake, "--n", 8)
    for side, grey in (("real", grey_real), ("generated", grey_fake)):
        note = f"{side} images were grayscale: channels replicated to RGB for Inception"
        assert (note in out["notes"]) is grey
        assert (note in err) is grey


def test_eval_images_from_a_data_source_draws_distinct_images(tmp_path, capsys, fidelity):
    fake = colour_folder(tmp_path / "fake", distinct_colours(30, seed=2))
    out, _ = eval_images(capsys, "shapes", fake, "--n", 30, "--metrics", "fid")
    pixels = fidelity["kw"]["input2"]
    flat = np.stack([pixels[i].numpy().ravel() for i in range(len(pixels))])
    assert len(flat) == 30
    assert len(np.unique(flat, axis=0)) == 30  # 30 different images of the 12000
    assert out["n_real"] == 30
    assert out["kid_subset_size"] is None  # KID was not asked
    assert not any("asked for" in note for note in out["notes"])


def test_eval_images_keeps_the_kid_subset_asked_when_there_are_enough(tmp_path, capsys, fidelity):
    real = colour_folder(tmp_path / "real", distinct_colours(20, seed=1))
    fake = colour_folder(tmp_path / "fake", distinct_colours(20, seed=2))
    out, err = eval_images(
        capsys, real, fake, "--metrics", "kid", "--kid-subset-size", 8, "--kid-subsets", 5
    )
    assert (fidelity["kw"]["kid_subset_size"], fidelity["kw"]["kid_subsets"]) == (8, 5)
    assert (out["kid_subset_size"], out["kid_subsets"]) == (8, 5)
    assert "KID on 5 subsets of 8" in err
    assert not any("KID subset size lowered" in note for note in out["notes"])
    assert not any("FID" in note for note in out["notes"])  # no FID computed


def test_eval_features_reports_the_sample_and_the_small_n_bias(tmp_path, capsys):
    rng = np.random.default_rng(3)
    np.save(tmp_path / "a.npy", rng.normal(size=(300, 4)))
    np.save(tmp_path / "b.npy", rng.normal(size=(200, 4)))
    argv = ["eval", "features", "--real", str(tmp_path / "a.npy")]
    assert main([*argv, "--fake", str(tmp_path / "b.npy")]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert (out["n_real"], out["n_fake"]) == (300, 200)
    assert (out["kid_subset_size"], out["kid_subsets"]) == (200, 1)
    assert out["notes"] == [
        "FID with N < 2048 (here 200) is biased upward; compare only runs with the same N",
        "KID subset size lowered from 1000 to 200 (the smaller side has 200 samples): "
        "computed once on all samples (std 0)",
    ]
    assert "N = 300 real and 200 generated samples" in captured.err


def test_eval_run_prints_the_measures_of_a_runs_newest_checkpoint(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--preset", "ring8", "--steps", "30", "--out", str(run), "--quiet"]) == 0
    capsys.readouterr()
    out = run_json(capsys, ["eval", "run", str(run)])
    assert out["step"] == 30
    assert out["family"] == "mlp"
    assert 0.0 <= out["jsd"] <= np.log(2) + 1e-6
    assert out["num_modes"] == 8


def test_eval_run_without_a_checkpoint_says_to_train_first(tmp_path, capsys):
    run = tmp_path / "run"
    run.mkdir()
    (run / "experiment.toml").write_text('name = "x"\n[data]\nsource = "ring8"\n')
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "run", str(run)])
    assert exit_.value.code == 2
    assert "train it first" in capsys.readouterr().err
