"""The offline classifier feature space: training, cache, and metrics that see mode dropping."""

from __future__ import annotations

import pathlib

import numpy as np
import platformdirs
import pytest
import torch

from ganlab.data.shapes import SHAPE_CLASSES, generate_shapes
from ganlab.kernel.errors import ConfigError, GanlabError
from ganlab.metrics import classifier as clf_module
from ganlab.metrics.classifier import (
    FEATURE_DIM,
    FEATURE_SPACE_PREFIX,
    ClassifierError,
    OfflineClassifier,
    cache_path,
    classifier_score,
    load_or_train,
    offline_metrics,
    train_classifier,
)
from ganlab.metrics.features import FeatureStats

# The short test recipe: 250 Adam steps on 3000 shapes (600 held out), about 2 s on 2 cores.
TEST_STEPS = 250
TEST_DATA = 3000
MIN_ACCURACY = 0.9
# Even shorter, for tests that only need *a* classifier (determinism, cache).
TINY = {"steps": 10, "data_size": 600}
K = len(SHAPE_CLASSES)


def nhwc(images: torch.Tensor) -> np.ndarray:
    """uint8 (N, C, H, W) tensor -> uint8 (N, H, W, C) array, the classifier's input."""
    return images.permute(0, 2, 3, 1).numpy().copy()


def luma(images: np.ndarray) -> np.ndarray:
    """uint8 RGB (N, H, W, 3) -> uint8 gray (N, H, W, 1)."""
    gray = images.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    return np.rint(gray).clip(0, 255).astype(np.uint8)[..., None]


@pytest.fixture(scope="module")
def clf() -> OfflineClassifier:
    return train_classifier("shapes", 32, 3, steps=TEST_STEPS, seed=0, data_size=TEST_DATA)


@pytest.fixture(scope="module")
def fresh() -> tuple[np.ndarray, np.ndarray]:
    """1800 shapes drawn apart from the training set (another size gives other draws)."""
    images, labels = generate_shapes(1800, 32, 3)
    return nhwc(images), labels.numpy()


# --------------------------------------------------------------------------- training


def test_short_training_reaches_the_stated_held_out_accuracy(clf, fresh):
    assert clf.accuracy >= MIN_ACCURACY
    assert clf.origin == "trained"
    assert clf.class_names == SHAPE_CLASSES
    assert 0.0 < clf.train_seconds < 60.0
    # The stored accuracy agrees with an independent measurement on images never trained on.
    images, labels = fresh
    predicted = clf.probabilities(images).argmax(axis=1)
    assert float((predicted == labels).mean()) >= MIN_ACCURACY


def test_features_and_probabilities_shapes_and_dtypes(clf, fresh):
    images = fresh[0][:37]
    feats = clf.features(images, batch_size=16)
    probs = clf.probabilities(images)
    assert feats.shape == (37, FEATURE_DIM)
    assert feats.dtype == np.float64
    assert np.isfinite(feats).all()
    assert probs.shape == (37, K)
    assert probs.dtype == np.float64
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    # Batching changes float32 round-off only; both outputs come from one pass.
    both = clf.outputs(images, batch_size=5)
    np.testing.assert_allclose(both[0], feats, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(both[1], probs, rtol=1e-4, atol=1e-6)
    # Torch tensors are accepted too, and an empty batch gives empty arrays.
    np.testing.assert_array_equal(clf.features(torch.from_numpy(images), batch_size=16), feats)
    assert clf.features(images[:0]).shape == (0, FEATURE_DIM)


def test_features_are_of_order_one_and_use_every_dimension(clf, fresh):
    feats = clf.features(fresh[0])
    # Scaled at training so that mean |f|^2 / d is 1 on held-out images (KID's kernel
    # (x.y / d + 1)^3 expects that); fresh images of the same set land close to it.
    assert 0.8 < float((feats**2).sum(axis=1).mean()) / FEATURE_DIM < 1.25
    assert (feats.std(axis=0) > 0).all()  # no dead unit


def test_grayscale_resized_and_rgba_input_to_an_rgb_classifier(clf, fresh):
    images, labels = fresh[0][:600], fresh[1][:600]
    gray = luma(images)
    variants = {
        "gray (N, H, W, 1)": gray,
        "gray (N, H, W)": gray[..., 0],
        "gray 28 px": nhwc(generate_shapes(1800, 28, 1)[0])[:600],
        "RGB 64 px": nhwc(generate_shapes(1800, 64, 3)[0])[:600],
        "RGBA": np.concatenate([images, np.full_like(images[..., :1], 255)], axis=-1),
    }
    for name, batch in variants.items():
        feats = clf.features(batch)
        assert feats.shape == (600, FEATURE_DIM), name
        accuracy = float((clf.probabilities(batch).argmax(axis=1) == labels).mean())
        assert accuracy >= 0.8, f"{name}: accuracy {accuracy:.3f}"


def test_an_rgb_image_given_to_a_gray_classifier_is_converted():
    gray_clf = train_classifier("shapes", 28, 1, **TINY)
    rgb = nhwc(generate_shapes(50, 32, 3)[0])
    assert gray_clf.features(rgb).shape == (50, FEATURE_DIM)
    assert gray_clf.feature_space.startswith(f"{FEATURE_SPACE_PREFIX}:shapes-28-1-")


@pytest.mark.parametrize(
    ("images", "match"),
    [
        (np.zeros((4, 8, 8, 3), dtype=np.float32), "uint8"),
        (np.zeros((4, 8, 8, 2), dtype=np.uint8), "C = 1, 3 or 4"),
        (np.zeros((8, 3), dtype=np.uint8), "shape"),
    ],
)
def test_unusable_images_are_refused_with_a_message(clf, images, match):
    with pytest.raises(ClassifierError, match=match):
        clf.features(images)


def test_training_is_deterministic_for_a_seed(fresh):
    images = fresh[0][:64]
    rng_before = torch.get_rng_state()
    a = train_classifier("shapes", 32, 3, seed=3, **TINY)
    b = train_classifier("shapes", 32, 3, seed=3, **TINY)
    other = train_classifier("shapes", 32, 3, seed=4, **TINY)
    assert torch.equal(torch.get_rng_state(), rng_before)  # the global RNG is left alone
    np.testing.assert_array_equal(a.features(images), b.features(images))
    assert a.accuracy == b.accuracy
    assert not np.array_equal(a.features(images), other.features(images))
    assert a.feature_space != other.feature_space


def test_sources_it_cannot_learn_from_are_clear_errors():
    with pytest.raises(ClassifierError, match="image source"):
        train_classifier("ring8_teaching", 32, 3, steps=1)
    with pytest.raises(ConfigError, match="unknown data source"):
        train_classifier("no_such_source", 32, 3, steps=1)


def test_progress_is_reported_every_step():
    seen: list[tuple[int, int]] = []
    train_classifier(
        "shapes", 32, 3, steps=3, data_size=600, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


# --------------------------------------------------------------------------- cache


def test_default_cache_path_is_under_the_user_cache():
    expected = pathlib.Path(platformdirs.user_cache_dir("ganlab")) / "classifiers"
    assert cache_path("shapes", 28, 1) == expected / "shapes-28-1.pt"
    assert cache_path("../evil/x", 32, 3, "/tmp/c").name == "_evil_x-32-3.pt"


def test_cache_round_trip_loads_weights_only_and_skips_training(tmp_path, monkeypatch, fresh):
    images = fresh[0][:64]
    first = load_or_train("shapes", 32, 3, cache_dir=tmp_path, **TINY)
    path = tmp_path / "shapes-32-3.pt"
    assert first.origin == "trained"
    assert first.note == ""
    assert path.is_file()
    assert not list(tmp_path.glob("*.tmp"))  # atomic write left no temporary file

    state = torch.load(path, map_location="cpu", weights_only=True)
    assert set(state) == {"meta", "weights"}
    meta = state["meta"]
    assert (meta["source"], meta["image_size"], meta["channels"]) == ("shapes", 32, 3)
    assert meta["accuracy"] == first.accuracy
    assert isinstance(meta["version"], int)
    assert all(isinstance(v, torch.Tensor) for v in state["weights"].values())

    def no_training(*args, **kwargs):
        raise AssertionError("the cached classifier should have been loaded")

    monkeypatch.setattr(clf_module, "train_classifier", no_training)
    second = load_or_train("shapes", 32, 3, cache_dir=tmp_path, **TINY)
    assert second.origin == "cache"
    assert second.feature_space == first.feature_space
    assert second.accuracy == first.accuracy
    assert second.class_names == first.class_names
    np.testing.assert_array_equal(second.features(images), first.features(images))


class _Tripwire:
    """Unpickling this would run code (append to ``ran``); weights_only must refuse it."""

    ran: list[str] = []  # noqa: RUF012

    def __reduce__(self):
        return (_Tripwire.ran.append, ("code ran",))


def _write_garbage(path: pathlib.Path) -> None:
    path.write_bytes(b"this is not a torch file\x00\xff" * 10)


def _write_truncated(path: pathlib.Path) -> None:
    torch.save(train_classifier("shapes", 32, 3, steps=1, data_size=600).state_dict(), path)
    path.write_bytes(path.read_bytes()[:500])


def _write_foreign(path: pathlib.Path) -> None:
    torch.save({"model": {"w": torch.zeros(3)}, "epoch": 4}, path)


def _write_pickled_object(path: pathlib.Path) -> None:
    torch.save({"meta": _Tripwire(), "weights": {}}, path)


def _write_other_version(path: pathlib.Path) -> None:
    state = train_classifier("shapes", 32, 3, **TINY).state_dict()
    state["meta"]["version"] = 0
    torch.save(state, path)


def _write_wrong_weights(path: pathlib.Path) -> None:
    state = train_classifier("shapes", 32, 3, **TINY).state_dict()
    state["weights"]["head.weight"] = torch.zeros(2, 2)
    torch.save(state, path)


@pytest.mark.parametrize(
    ("writer", "reason"),
    [
        (_write_garbage, "not a readable checkpoint"),
        (_write_truncated, "not a readable checkpoint"),
        (_write_foreign, "not a ganlab offline-classifier file"),
        (_write_pickled_object, "refused"),
        (_write_other_version, "version 0"),
        (_write_wrong_weights, "head.weight"),
    ],
)
def test_a_bad_cache_file_is_retrained_over_not_a_crash(tmp_path, writer, reason):
    path = tmp_path / "shapes-32-3.pt"
    writer(path)
    lines: list[str] = []
    result = load_or_train("shapes", 32, 3, cache_dir=tmp_path, log=lines.append, **TINY)
    assert result.origin == "trained"
    assert len(lines) == 1
    assert "retraining" in lines[0]
    assert str(path) in lines[0]
    assert reason in lines[0]
    assert result.note == lines[0]
    assert _Tripwire.ran == []
    # The file now holds the new weights and is used next time.
    again = load_or_train("shapes", 32, 3, cache_dir=tmp_path, **TINY)
    assert again.origin == "cache"


def test_a_cache_of_another_recipe_is_retrained_over(tmp_path):
    load_or_train("shapes", 32, 3, cache_dir=tmp_path, steps=5, data_size=600)
    result = load_or_train("shapes", 32, 3, cache_dir=tmp_path, steps=6, data_size=600)
    assert result.origin == "trained"
    assert "steps = 5" in result.note


def test_an_unwritable_cache_folder_still_gives_a_classifier(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be")
    lines: list[str] = []
    result = load_or_train("shapes", 32, 3, cache_dir=blocker, log=lines.append, **TINY)
    assert result.origin == "trained"
    assert len(lines) == 1
    assert "not cached" in lines[0]


# --------------------------------------------------------------------------- metrics


def test_fid_and_kid_see_noise_and_mode_dropping(clf):
    images, labels = generate_shapes(2400, 32, 3)
    images, labels = nhwc(images), labels.numpy()
    real, real2 = images[:1000], images[1000:2000]
    noise = np.random.default_rng(0).integers(0, 256, size=real.shape, dtype=np.uint8)
    one_class = images[labels == 0][:300]

    same = offline_metrics(real, real2, clf, kid_subset_size=200, kid_subsets=20)
    vs_noise = offline_metrics(real, noise, clf, kid_subset_size=200, kid_subsets=20)
    dropped = offline_metrics(real, one_class, clf, kid_subset_size=200, kid_subsets=20)

    assert same["classifier_fid"] * 10 < vs_noise["classifier_fid"]
    assert same["classifier_fid"] * 10 < dropped["classifier_fid"]
    assert same["classifier_kid_mean"] * 10 < dropped["classifier_kid_mean"]
    assert abs(same["classifier_kid_mean"]) < vs_noise["classifier_kid_mean"] / 10

    # Balanced real images score near the number of classes; a single class scores ~1.
    assert same["classifier_score"] > 0.8 * K
    assert dropped["classifier_score"] < 1.3


def test_offline_metrics_never_look_like_inception_numbers(clf, fresh):
    images = fresh[0]
    result = offline_metrics(images[:200], images[200:400], clf, kid_subset_size=100)
    assert result["feature_space"] == clf.feature_space
    assert str(result["feature_space"]).startswith(f"{FEATURE_SPACE_PREFIX}:shapes-32-3-")
    assert result["classifier_accuracy"] == clf.accuracy
    numeric = set(result) - {"feature_space"}
    assert all(key.startswith("classifier_") for key in numeric)
    assert numeric == {
        "classifier_fid",
        "classifier_kid_mean",
        "classifier_kid_std",
        "classifier_score",
        "classifier_accuracy",
    }
    assert "inception" not in str(result["feature_space"])


def test_stats_carry_the_feature_space_and_refuse_inception_stats(clf, fresh):
    stats = clf.stats(fresh[0][:300])
    assert stats.feature_space == clf.feature_space
    assert stats.dim == FEATURE_DIM
    other = FeatureStats(stats.mu, stats.sigma, stats.n, feature_space="inception-2048")
    with pytest.raises(ValueError, match="different feature spaces"):
        stats.fid(other)


def test_classifier_score_bounds():
    eye = np.eye(K)
    assert classifier_score(np.tile(eye, (5, 1))) == pytest.approx(K)
    assert classifier_score(np.tile(eye[2], (30, 1))) == pytest.approx(1.0)
    assert classifier_score(np.full((10, K), 1.0 / K)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="non-negative"):
        classifier_score(-np.ones((3, K)))


def test_classifier_error_is_a_ganlab_error():
    assert issubclass(ClassifierError, GanlabError)


def test_real_features_are_cached_per_data_set_and_reused(clf, fresh, tmp_path, monkeypatch):
    images, _ = fresh
    real, fake = images[:60], images[60:120]
    cache = tmp_path / "real.npz"
    first = clf_module.offline_metrics(real, fake, clf, real_cache=cache)
    assert cache.is_file()
    calls = []
    original = clf.features
    monkeypatch.setattr(clf, "features", lambda x: calls.append(len(x)) or original(x))
    again = clf_module.offline_metrics(real, fake, clf, real_cache=cache)
    assert calls == []  # the real side came from the cache
    assert again["classifier_fid"] == pytest.approx(first["classifier_fid"])
    clf_module.offline_metrics(real[:50], fake, clf, real_cache=cache)  # another count
    assert calls == [50]  # recomputed, not a mismatched cache
