"""'Evaluate now' in its thread: every result says what sample it was computed on."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
import torch_fidelity

from ganlab.app.evaluation import KID_SUBSET_SIZE, KID_SUBSETS, Evaluation
from ganlab.kernel import reports as rep
from ganlab.metrics import classifier, inception

FID_NOTE = "FID with N < 2048 (here {n}) is biased upward; compare only runs with the same N"


def pixels(n: int, seed: int, channels: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (n, 8, 8, channels), dtype=np.uint8)


def samples(real: np.ndarray, fake: np.ndarray, source: str = "shapes") -> rep.EvaluationSamples:
    return rep.EvaluationSamples(0, 1, 300, source, real, fake)


def evaluate(qtbot, s: rep.EvaluationSamples) -> dict:
    evaluation = Evaluation(s)
    ended: list = []
    evaluation.finished.connect(lambda result: ended.append(result))
    evaluation.failed.connect(lambda message: ended.append(message))
    evaluation.start()
    qtbot.waitUntil(lambda: bool(ended), timeout=20_000)
    (result,) = ended
    assert isinstance(result, dict), result  # a failure's message otherwise
    return result


@pytest.fixture
def fidelity(monkeypatch):
    """Accept any weights; record what torch-fidelity would be asked."""
    monkeypatch.setattr(
        inception,
        "verify_weights",
        lambda path: inception.VerifiedWeights(path=path, sha256="0" * 64, method="test"),
    )
    calls: list[dict] = []

    def calculate_metrics(**kw):
        calls.append(kw)
        return {
            "inception_score_mean": 2.0,
            "inception_score_std": 0.1,
            "frechet_inception_distance": 9.0,
            "kernel_inception_distance_mean": 0.01,
            "kernel_inception_distance_std": 0.001,
        }

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", calculate_metrics)
    return calls


def test_inception_result_names_its_sample_a_small_data_set_and_gray_images(qtbot, fidelity):
    # A data set of 250 images for 1000 asked: the trainer sent all 250 once.
    result = evaluate(qtbot, samples(pixels(250, 1), pixels(1000, 2, channels=1)))
    (kw,) = fidelity
    assert result["feature_space"] == "inception-v3"
    assert result["frechet_inception_distance"] == 9.0
    assert (result["n_real"], result["n_fake"]) == (250, 1000)
    assert (result["kid_subset_size"], result["kid_subsets"]) == (250, KID_SUBSETS)
    assert (kw["kid_subset_size"], kw["kid_subsets"]) == (250, KID_SUBSETS)  # what ran
    assert result["notes"] == [
        "real images: asked for 1000, the data set has 250: using 250, each once",
        "generated images were grayscale: channels replicated to RGB for Inception",
        FID_NOTE.format(n=250),
        f"KID subset size lowered from {KID_SUBSET_SIZE} to 250 (the smaller side has 250 "
        f"samples): {KID_SUBSETS} subsets of 250",
    ]
    assert result["step"] == 300


def test_enough_images_give_no_notes_but_the_counts(qtbot, fidelity):
    result = evaluate(qtbot, samples(pixels(2048, 1, channels=3), pixels(2048, 2)))
    assert (result["n_real"], result["n_fake"]) == (2048, 2048)
    assert (result["kid_subset_size"], result["kid_subsets"]) == (KID_SUBSET_SIZE, KID_SUBSETS)
    assert result["notes"] == []


@pytest.mark.parametrize(("channels", "grey_note"), [(1, False), (3, True)])
def test_offline_result_names_its_sample(qtbot, monkeypatch, channels, grey_note):
    def no_weights(path):
        raise inception.WeightsError(f"{path}: not found", path=path)

    seen: dict = {}

    def offline_metrics(real, fake, clf, **kw):
        seen.update(kw)
        return {"feature_space": "classifier:test", "classifier_fid": 4.0}

    monkeypatch.setattr(inception, "verify_weights", no_weights)
    monkeypatch.setattr(
        classifier,
        "load_or_train",
        lambda *a, **k: SimpleNamespace(feature_space="classifier:test"),
    )
    monkeypatch.setattr(classifier, "offline_metrics", offline_metrics)
    grey = np.repeat(pixels(64, 1, channels=1), channels, axis=3)
    result = evaluate(qtbot, samples(grey, pixels(64, 2, channels=channels)))
    assert (seen["kid_subset_size"], seen["kid_subsets"]) == (KID_SUBSET_SIZE, KID_SUBSETS)
    assert result["classifier_fid"] == 4.0
    assert (result["n_real"], result["n_fake"]) == (64, 64)
    # ganlab's KID computes once over all samples when the subset is not smaller.
    assert (result["kid_subset_size"], result["kid_subsets"]) == (64, 1)
    note = "real images were grayscale: channels replicated to RGB for the classifier"
    assert (note in result["notes"]) is grey_note
    assert FID_NOTE.format(n=64) in result["notes"]
