"""FID, KID and cached feature statistics, checked against independent computations."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest
import torch
from torch_fidelity.metric_fid import fid_statistics_to_metric

from ganlab.kernel.errors import GanlabError
from ganlab.metrics.features import (
    FeatureStats,
    FeatureStatsError,
    distinct_indices,
    fid,
    fid_from_stats,
    kid,
    kid_plan,
    sample_report,
)


def gaussian(n: int, d: int, seed: int, shift: float = 0.0) -> np.ndarray:
    """n samples of one correlated gaussian in d dimensions (a fixed linear map of N(0, I)).

    The map depends on d only, so different seeds draw from the same distribution.
    """
    mix = np.random.default_rng(1000 + d).normal(size=(d, d)) / np.sqrt(d)
    return np.random.default_rng(seed).normal(size=(n, d)) @ mix + shift


def sqrtm_denman_beavers(a: np.ndarray, steps: int = 60) -> np.ndarray:
    """General (non-symmetric) matrix square root by the Denman–Beavers iteration."""
    y, z = a.copy(), np.eye(a.shape[0])
    for _ in range(steps):
        y, z = (y + np.linalg.inv(z)) / 2.0, (z + np.linalg.inv(y)) / 2.0
    return y


def fid_reference(real: np.ndarray, fake: np.ndarray) -> float:
    """FID by the textbook formula with an iterative sqrt of the (non-symmetric) product."""
    mu1, mu2 = real.mean(axis=0), fake.mean(axis=0)
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    covmean = sqrtm_denman_beavers(s1 @ s2)
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(s1 + s2 - 2.0 * covmean))


def mmd2_unbiased_loops(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, written as plain double loops."""
    n, m, d = len(x), len(y), x.shape[1]

    def k(a: np.ndarray, b: np.ndarray) -> float:
        return (float(np.dot(a, b)) / d + 1.0) ** 3

    xx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2.0 * xy


# --------------------------------------------------------------------------- FID


@pytest.mark.parametrize("shift", [0.0, 0.5, 3.0])
def test_fid_matches_an_iterative_matrix_square_root(shift):
    real, fake = gaussian(400, 6, seed=1), gaussian(300, 6, seed=2, shift=shift)
    assert fid(real, fake) == pytest.approx(fid_reference(real, fake), rel=1e-9, abs=1e-9)


def test_fid_matches_torch_fidelity_on_the_same_statistics():
    real, fake = gaussian(500, 16, seed=3), gaussian(500, 16, seed=4, shift=0.3)
    stats = [{"mu": x.mean(axis=0), "sigma": np.cov(x, rowvar=False)} for x in (real, fake)]
    theirs = fid_statistics_to_metric(stats[0], stats[1], verbose=False)
    assert fid(real, fake) == pytest.approx(theirs["frechet_inception_distance"], rel=1e-8)


@pytest.mark.parametrize(("n", "d"), [(200, 8), (5, 20)], ids=["full-rank", "fewer-samples"])
def test_fid_of_identical_sets_is_zero(n, d):
    x = gaussian(n, d, seed=5)
    assert fid(x, x) == pytest.approx(0.0, abs=1e-9)


def test_fid_of_diagonal_gaussians_matches_the_closed_form():
    rng = np.random.default_rng(6)
    mu1, mu2 = rng.normal(size=10), rng.normal(size=10)
    sd1, sd2 = rng.uniform(0.1, 3.0, size=10), rng.uniform(0.1, 3.0, size=10)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((sd1 - sd2) ** 2)
    got = fid_from_stats(mu1, np.diag(sd1**2), mu2, np.diag(sd2**2))
    assert got == pytest.approx(expected, rel=1e-12)


def test_fid_of_scaled_full_covariance_matches_the_closed_form():
    # sigma2 = c^2 sigma1 commutes with sigma1: FID = |dmu|^2 + (1 - c)^2 Tr(sigma1).
    a = np.random.default_rng(7).normal(size=(12, 12))
    sigma = a @ a.T + 0.1 * np.eye(12)
    mu1, mu2, c = np.zeros(12), np.full(12, 0.5), 2.5
    expected = 12 * 0.25 + (1 - c) ** 2 * np.trace(sigma)
    assert fid_from_stats(mu1, sigma, mu2, c**2 * sigma) == pytest.approx(expected, rel=1e-10)


def test_fid_is_symmetric_and_grows_with_the_shift():
    real = gaussian(300, 5, seed=8)
    near, far = gaussian(300, 5, seed=9, shift=0.5), gaussian(300, 5, seed=9, shift=2.0)
    assert fid(real, near) == pytest.approx(fid(near, real), rel=1e-10)
    assert fid(real, far) > fid(real, near) > 0.0


def test_fid_equals_fid_from_stats_of_feature_stats():
    real, fake = gaussian(100, 4, seed=10), gaussian(80, 4, seed=11, shift=1.0)
    a, b = FeatureStats.from_features(real), FeatureStats.from_features(fake)
    assert fid(real, fake) == pytest.approx(fid_from_stats(a.mu, a.sigma, b.mu, b.sigma))
    assert a.fid(b) == pytest.approx(fid(real, fake))


def test_fid_never_returns_a_negative_round_off():
    x = gaussian(50, 30, seed=12) * 1e3
    assert fid(x, x.copy()) >= 0.0


GOOD = np.zeros((10, 3)) + np.arange(30).reshape(10, 3)


@pytest.mark.parametrize(
    ("real", "fake", "message"),
    [
        (np.zeros(10), GOOD, "2-D"),
        (np.zeros((10, 3, 2)), GOOD, "2-D"),
        (GOOD, np.zeros((10, 4)), "feature dimensions differ"),
        (GOOD[:1], GOOD, "at least 2 samples"),
        (GOOD, np.where(np.eye(10, 3) > 0, np.nan, GOOD), "NaN or infinite"),
        (np.where(np.eye(10, 3) > 0, np.inf, GOOD), GOOD, "NaN or infinite"),
        ([["a", "b"], ["c", "d"]], GOOD, "numeric"),
    ],
    ids=["1-D", "3-D", "mismatched-d", "one-sample", "nan", "inf", "not-numeric"],
)
@pytest.mark.parametrize("metric", [fid, kid], ids=["fid", "kid"])
def test_bad_features_are_a_value_error_that_says_why(metric, real, fake, message):
    with pytest.raises(ValueError, match=message):
        metric(real, fake)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.zeros((3, 1)), np.eye(3), np.zeros(3), np.eye(3)), "mean must be 1-D"),
        ((np.zeros(3), np.eye(2), np.zeros(3), np.eye(3)), "covariance must be 3x3"),
        ((np.zeros(3), np.eye(3), np.zeros(2), np.eye(2)), "dimensions differ"),
        ((np.full(3, np.nan), np.eye(3), np.zeros(3), np.eye(3)), "NaN"),
    ],
)
def test_fid_from_stats_rejects_inconsistent_statistics(args, message):
    with pytest.raises(ValueError, match=message):
        fid_from_stats(*args)


# --------------------------------------------------------------------------- KID


def test_kid_on_all_samples_matches_direct_double_loops():
    real, fake = gaussian(30, 4, seed=20), gaussian(25, 4, seed=21, shift=0.4)
    mean, std = kid(real, fake, subset_size=1000)
    assert mean == pytest.approx(mmd2_unbiased_loops(real, fake), rel=1e-10, abs=1e-12)
    assert std == 0.0


def test_kid_uses_all_samples_when_the_subset_is_as_large_as_either_set():
    real, fake = gaussian(60, 3, seed=22), gaussian(20, 3, seed=23)
    mean, std = kid(real, fake, subset_size=20, subsets=7, seed=99)
    assert (mean, std) == (pytest.approx(mmd2_unbiased_loops(real, fake), rel=1e-10), 0.0)
    # Deterministic: the seed and the subset count do not matter on this path.
    assert kid(real, fake, subset_size=20, subsets=3, seed=1) == (mean, std)


def test_kid_on_all_samples_is_symmetric():
    real, fake = gaussian(40, 5, seed=24), gaussian(35, 5, seed=25, shift=0.7)
    assert kid(real, fake)[0] == pytest.approx(kid(fake, real)[0], rel=1e-12)


def test_kid_subsets_average_the_unbiased_estimate_on_seeded_draws():
    real, fake = gaussian(50, 3, seed=26), gaussian(40, 3, seed=27, shift=0.5)
    mean, std = kid(real, fake, subset_size=10, subsets=6, seed=3)
    rng = np.random.default_rng(3)
    values = []
    for _ in range(6):
        ri = rng.choice(50, 10, replace=False)
        fi = rng.choice(40, 10, replace=False)
        values.append(mmd2_unbiased_loops(real[ri], fake[fi]))
    assert mean == pytest.approx(np.mean(values), rel=1e-10)
    assert std == pytest.approx(np.std(values), rel=1e-10)
    assert std > 0.0


def test_kid_with_subsets_is_repeatable_for_a_seed_and_varies_across_seeds():
    real, fake = gaussian(80, 4, seed=28), gaussian(80, 4, seed=29)
    first = kid(real, fake, subset_size=20, subsets=10, seed=5)
    assert kid(real, fake, subset_size=20, subsets=10, seed=5) == first
    assert kid(real, fake, subset_size=20, subsets=10, seed=6) != first


def test_kid_separates_same_and_shifted_distributions():
    real = gaussian(300, 4, seed=30)
    same, shifted = gaussian(300, 4, seed=31), gaussian(300, 4, seed=31, shift=1.0)
    assert kid(real, shifted)[0] > 10 * abs(kid(real, same)[0])


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"subset_size": 1}, "subset_size"), ({"subsets": 0}, "subsets")]
)
def test_kid_rejects_degenerate_subsets(kwargs, message):
    with pytest.raises(ValueError, match=message):
        kid(GOOD, GOOD, **kwargs)


def test_kid_accepts_cpu_tensors():
    real, fake = gaussian(20, 3, seed=32), gaussian(20, 3, seed=33)
    assert kid(torch.from_numpy(real), torch.from_numpy(fake)) == kid(real, fake)


# --------------------------------------------------------------------------- FeatureStats


def test_feature_stats_are_the_mean_and_unbiased_covariance():
    x = gaussian(50, 4, seed=40)
    stats = FeatureStats.from_features(x, feature_space="test-4")
    np.testing.assert_allclose(stats.mu, x.mean(axis=0))
    np.testing.assert_allclose(stats.sigma, np.cov(x, rowvar=False, ddof=1))
    assert (stats.n, stats.dim, stats.feature_space) == (50, 4, "test-4")


def test_feature_stats_round_trip_exactly(tmp_path):
    stats = FeatureStats.from_features(gaussian(40, 6, seed=41), feature_space="inception-2048")
    path = stats.save(tmp_path / "cache" / "real.npz")
    loaded = FeatureStats.load(path)
    np.testing.assert_array_equal(loaded.mu, stats.mu)
    np.testing.assert_array_equal(loaded.sigma, stats.sigma)
    assert (loaded.n, loaded.feature_space) == (40, "inception-2048")
    assert loaded.mu.dtype == loaded.sigma.dtype == np.float64
    assert [p.name for p in path.parent.iterdir()] == ["real.npz"]  # no temporary left


def test_feature_stats_file_holds_plain_arrays_only(tmp_path):
    path = FeatureStats.from_features(gaussian(10, 2, seed=42)).save(tmp_path / "s.npz")
    with np.load(path, allow_pickle=False) as data:  # would raise on any object array
        assert sorted(data.files) == ["feature_space", "format", "mu", "n", "sigma"]
        assert all(data[k].dtype != object for k in data.files)


def test_feature_stats_load_asks_numpy_not_to_unpickle(tmp_path, monkeypatch):
    path = FeatureStats.from_features(gaussian(10, 2, seed=43)).save(tmp_path / "s.npz")
    seen = []
    real_load = np.load

    def spy(*args, **kwargs):
        seen.append(kwargs.get("allow_pickle"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", spy)
    FeatureStats.load(path)
    assert seen == [False]


class SideEffect:
    """Unpickling this creates a file: what a hostile statistics file would do."""

    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.target),))


def test_feature_stats_with_a_pickled_object_are_refused_without_running_it(tmp_path):
    sentinel = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    np.savez(
        path,
        format=np.array("ganlab-feature-stats-1"),
        mu=np.array([SideEffect(str(sentinel))], dtype=object),
        sigma=np.eye(1),
        n=np.array(5),
    )
    with pytest.raises(FeatureStatsError, match="refused") as info:
        FeatureStats.load(path)
    assert str(path) in str(info.value)
    assert not sentinel.exists()
    assert isinstance(info.value, GanlabError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such"),
        (b"definitely not numpy", "refused"),
        ("single-array", "single array"),
        ("missing-keys", "missing mu, sigma"),
        ("bad-shape", "covariance must be"),
    ],
)
def test_feature_stats_load_names_the_file_and_the_problem(tmp_path, content, message):
    path = tmp_path / "stats.npz"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "single-array":
        with path.open("wb") as fh:
            np.save(fh, np.zeros(3))
    elif content == "missing-keys":
        np.savez(path, format=np.array("ganlab-feature-stats-1"), n=np.array(3))
    elif content == "bad-shape":
        np.savez(
            path, format=np.array("ganlab-feature-stats-1"), mu=np.zeros(3), sigma=np.eye(2), n=3
        )
    with pytest.raises(FeatureStatsError, match=message) as info:
        FeatureStats.load(path)
    assert str(path) in str(info.value)


def test_statistics_from_different_feature_spaces_are_not_compared():
    x = gaussian(20, 3, seed=44)
    a = FeatureStats.from_features(x, feature_space="inception-2048")
    b = FeatureStats.from_features(x, feature_space="classifier-64")
    with pytest.raises(ValueError, match="different feature spaces"):
        a.fid(b)


# --------------------------------------------------------------------------- the sample


@pytest.mark.parametrize(("available", "n"), [(250, 250), (250, 100), (250, 5000), (3, 2)])
def test_distinct_indices_use_each_item_at_most_once(available, n):
    idx = distinct_indices(available, n, seed=7)
    assert len(idx) == min(n, available)
    assert len(np.unique(idx)) == len(idx)
    assert idx.min() >= 0
    assert idx.max() < available
    assert np.array_equal(idx, distinct_indices(available, n, seed=7))  # seeded


def test_distinct_indices_below_the_count_are_a_random_subset_not_the_first_items():
    a, b = distinct_indices(1000, 100, seed=1), distinct_indices(1000, 100, seed=2)
    assert not np.array_equal(a, b)
    assert a.max() > 100  # drawn from the whole range


def test_distinct_indices_refuse_negative_counts():
    with pytest.raises(ValueError, match="non-negative"):
        distinct_indices(-1, 3, seed=0)


@pytest.mark.parametrize(
    ("n_real", "n_fake", "size", "subsets"),
    [(50, 50, 20, 4), (50, 30, 40, 4), (30, 50, 30, 4), (50, 50, 50, 4), (12, 40, 1000, 3)],
)
def test_kid_plan_is_what_kid_does(n_real, n_fake, size, subsets):
    real, fake = gaussian(n_real, 3, seed=1), gaussian(n_fake, 3, seed=2, shift=0.2)
    used_size, used_subsets = kid_plan(n_real, n_fake, size, subsets)
    mean, std = kid(real, fake, subset_size=size, subsets=subsets, seed=5)
    assert used_size == min(size, n_real, n_fake)
    if used_subsets == 1:  # computed once over every sample
        assert std == 0.0
        assert mean == pytest.approx(kid(real, fake, subset_size=max(n_real, n_fake))[0])
    else:
        assert used_subsets == subsets
        assert std > 0.0


@pytest.mark.parametrize(
    ("n", "fid_note"), [(2047, True), (2048, False), (10, True), (5000, False)]
)
def test_sample_report_warns_below_2048_for_fid_only(n, fid_note):
    report = sample_report(n, n + 1, kid=False)
    assert (report.n_real, report.n_fake) == (n, n + 1)
    assert report.kid_subset_size is None
    assert report.kid_subsets is None
    notes = [s for s in report.notes if s.startswith("FID with N < 2048")]
    assert bool(notes) is fid_note
    assert not sample_report(n, n, fid=False, kid=False).notes


def test_sample_report_says_when_kid_subsets_were_lowered():
    report = sample_report(250, 300, fid=False, kid_subset_size=1000, kid_subsets=100)
    assert (report.kid_subset_size, report.kid_subsets) == (250, 1)
    assert report.notes == (
        "KID subset size lowered from 1000 to 250 (the smaller side has 250 samples): "
        "computed once on all samples (std 0)",
    )
    kept = sample_report(5000, 5000, kid_subset_size=1000, kid_subsets=100)
    assert (kept.kid_subset_size, kept.kid_subsets) == (1000, 100)
    assert kept.notes == ()
    assert kept.summary() == (
        "N = 5000 real and 5000 generated samples, each used once; KID on 100 subsets of 1000"
    )


def test_sample_report_keeps_the_callers_notes_first_and_is_json_ready():
    import json

    report = sample_report(None, 40, notes=["asked for 5000, the folder has 40: using 40"])
    assert report.fields() == {
        "n_real": None,
        "n_fake": 40,
        "kid_subset_size": None,
        "kid_subsets": None,
        "notes": ["asked for 5000, the folder has 40: using 40"],
    }
    json.dumps(report.fields())
    assert report.summary() == "N = 40 generated samples, each used once"
