"""Toy sources (1-D and 2-D), parametrized over the registry so new sources are covered."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch

from ganlab.kernel.config import DataConfig
from ganlab.kernel.contracts import DataSource
from ganlab.kernel.registry import DATA_SOURCES

DRAWN_POINTS = [[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]]
TOY_NAMES = [n for n, e in DATA_SOURCES.items() if e.kind in ("toy1d", "toy2d")]
# Toy sources whose density is unknown on purpose (an arbitrary user file).
WITHOUT_DENSITY = {"csv_points"}
DENSITY_NAMES = [n for n in TOY_NAMES if n not in WITHOUT_DENSITY]
MIXTURES_WITH_MODES = ["ring8", "ring8_teaching", "grid25", "grid25_teaching", "bimodal1d"]


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("csv") / "points.csv"
    rng = np.random.default_rng(0)
    rows = "\n".join(f"{x:.4f},{y:.4f}" for x, y in rng.normal(size=(50, 2)))
    path.write_text("x,y\n" + rows + "\n")
    return str(path)


def make_config(name: str, csv_path: str = "", **overrides) -> DataConfig:
    """A config that builds ``name`` with its defaults (points / a file where it needs one)."""
    return DataConfig(source=name, path=csv_path, points=DRAWN_POINTS, **overrides)


@functools.cache
def _default_source(name: str) -> DataSource:
    return DATA_SOURCES.get(name).build(make_config(name))


def _build(name: str, csv_path: str) -> DataSource:
    if DATA_SOURCES.get(name).reads_path:
        return DATA_SOURCES.get(name).build(make_config(name, csv_path))
    return _default_source(name)


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _bins(dim: int) -> int:
    """Coarse bins per axis for comparing sample histograms with the density."""
    return 50 if dim == 1 else 10


@functools.cache
def _density_grid(name: str) -> tuple[np.ndarray, float]:
    """The density at the centres of a fine grid of cells over the bounds, and the cell
    volume. Cells are no wider than the source's smallest feature (``length_scale``),
    and each coarse bin of :func:`_bins` is a whole number of cells."""
    src = _default_source(name)
    bounds = src.spec.bounds
    assert bounds is not None
    bins = _bins(src.spec.dim)
    wanted = 20_000 if src.spec.dim == 1 else 200
    (lo, hi) = bounds[0]
    cells = max(wanted, math.ceil((hi - lo) / src.length_scale))
    cells = bins * math.ceil(cells / bins)
    axes = [lo + (np.arange(cells) + 0.5) * (hi - lo) / cells for lo, hi in bounds]
    mesh = np.meshgrid(*axes, indexing="ij")
    density = src.density(np.stack([m.ravel() for m in mesh], axis=1))
    assert density is not None
    cell = float(np.prod([(hi - lo) / cells for lo, hi in bounds]))
    return density.reshape(mesh[0].shape), cell


# --------------------------------------------------------------------------- every source


@pytest.mark.parametrize("name", TOY_NAMES)
def test_sample_has_shape_dtype_and_labels_in_range(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    x, y = src.sample(257, _gen(0))
    assert x.shape == (257, *src.spec.shape)
    assert x.dtype == torch.float32
    assert x.device.type == "cpu"
    assert torch.isfinite(x).all()
    if src.spec.num_classes:
        assert y is not None
        assert y.dtype == torch.int64
        assert y.shape == (257,)
        assert int(y.min()) >= 0
        assert int(y.max()) < src.spec.num_classes
        assert len(src.spec.class_names) == src.spec.num_classes
    else:
        assert y is None


@pytest.mark.parametrize("name", TOY_NAMES)
def test_sampling_zero_points_gives_empty_tensors(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    x, y = src.sample(0, _gen(0))
    assert x.shape == (0, *src.spec.shape)
    assert y is None or y.shape == (0,)


@pytest.mark.parametrize("name", TOY_NAMES)
def test_same_generator_seed_gives_same_samples(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    x1, y1 = src.sample(100, _gen(7))
    x2, y2 = src.sample(100, _gen(7))
    assert torch.equal(x1, x2)
    assert (y1 is None and y2 is None) or torch.equal(y1, y2)


@pytest.mark.parametrize("name", TOY_NAMES)
def test_different_generator_seeds_give_different_samples(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    assert not torch.equal(src.sample(100, _gen(1))[0], src.sample(100, _gen(2))[0])


@pytest.mark.parametrize("name", TOY_NAMES)
def test_sampling_uses_only_the_given_generator(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    torch.manual_seed(0)
    x1, _ = src.sample(50, _gen(3))
    torch.manual_seed(12345)
    x2, _ = src.sample(50, _gen(3))
    assert torch.equal(x1, x2)


@pytest.mark.parametrize("name", TOY_NAMES)
def test_spec_kind_matches_dimension_and_has_bounds(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    assert src.spec.kind == ("toy1d" if src.spec.shape == (1,) else "toy2d")
    assert src.spec.shape in ((1,), (2,))
    assert src.spec.bounds is not None
    assert len(src.spec.bounds) == src.spec.dim
    assert all(lo < hi for lo, hi in src.spec.bounds)


@pytest.mark.parametrize("name", TOY_NAMES)
def test_samples_fall_inside_bounds(name: str, csv_file: str) -> None:
    src = _build(name, csv_file)
    x, _ = src.sample(20_000, _gen(0))
    lo = torch.tensor([b[0] for b in src.spec.bounds], dtype=torch.float32)
    hi = torch.tensor([b[1] for b in src.spec.bounds], dtype=torch.float32)
    inside = ((x >= lo) & (x <= hi)).all(dim=1).float().mean().item()
    assert inside > 0.999


@pytest.mark.parametrize("name", TOY_NAMES)
def test_summary_is_one_informative_line(name: str, csv_file: str) -> None:
    text = _build(name, csv_file).summary()
    assert text.startswith(name)
    assert "\n" not in text
    assert len(text) > len(name) + 10


@pytest.mark.parametrize("name", DENSITY_NAMES)
def test_density_integrates_to_one_over_bounds(name: str) -> None:
    density, cell = _density_grid(name)
    assert np.all(density >= 0)
    assert density.sum() * cell == pytest.approx(1.0, abs=1e-2)


@pytest.mark.parametrize("name", DENSITY_NAMES)
def test_sample_histogram_matches_density(name: str) -> None:
    """Total variation between binned samples and the binned exact density is small."""
    src = _default_source(name)
    density, cell = _density_grid(name)
    bins, dim = _bins(src.spec.dim), src.spec.dim
    per_bin = density.shape[0] // bins
    mass = (density * cell).reshape(*[s for _ in range(dim) for s in (bins, per_bin)])
    mass = mass.sum(axis=tuple(range(1, 2 * dim, 2))).ravel()
    x, _ = src.sample(50_000, _gen(0))
    edges = [np.linspace(lo, hi, bins + 1) for lo, hi in src.spec.bounds]
    counts, _ = np.histogramdd(x.numpy().astype(np.float64), bins=edges)
    tv = 0.5 * np.abs(counts.ravel() / len(x) - mass / mass.sum()).sum()
    assert tv < 0.05


@pytest.mark.parametrize("name", DENSITY_NAMES)
def test_density_of_chunked_and_single_calls_agree(name: str) -> None:
    src = _default_source(name)
    x, _ = src.sample(3000, _gen(5))
    points = x.numpy().astype(np.float64)
    whole = src.density(points)
    parts = np.concatenate([src.density(points[i : i + 7]) for i in range(0, 3000, 7)])
    np.testing.assert_allclose(whole, parts, rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("name", [n for n in DENSITY_NAMES if DATA_SOURCES.get(n).kind == "toy2d"])
def test_density_on_a_100x100_grid_is_finite_and_non_negative(name: str) -> None:
    """The views evaluate densities on this grid (its speed is not timed here: machines
    running the tests are shared and noisy)."""
    src = _default_source(name)
    (lo, hi), _ = src.spec.bounds
    g = np.linspace(lo, hi, 100)
    xx, yy = np.meshgrid(g, g)
    points = np.stack([xx.ravel(), yy.ravel()], axis=1)
    values = src.density(points)
    assert values.shape == (10_000,)
    assert np.isfinite(values).all()
    assert (values >= 0).all()


@pytest.mark.parametrize("name", TOY_NAMES)
def test_positive_sigma_changes_the_samples(name: str, csv_file: str) -> None:
    entry = DATA_SOURCES.get(name)
    base = entry.build(make_config(name, csv_file))
    wide = entry.build(make_config(name, csv_file, sigma=0.7))
    assert not torch.equal(base.sample(200, _gen(0))[0], wide.sample(200, _gen(0))[0])


# --------------------------------------------------------------------------- particular sources


def test_gaussian1d_sample_moments_are_mean_2_std_half() -> None:
    x, _ = _default_source("gaussian1d").sample(100_000, _gen(0))
    assert x.mean().item() == pytest.approx(2.0, abs=0.01)
    assert x.std().item() == pytest.approx(0.5, abs=0.01)


def test_gaussian1d_density_peak_is_normal_peak() -> None:
    peak = _default_source("gaussian1d").density(np.array([[2.0]]))
    assert peak[0] == pytest.approx(1.0 / (0.5 * math.sqrt(2 * math.pi)))


def test_bimodal1d_labels_match_the_side_of_the_mode() -> None:
    x, y = _default_source("bimodal1d").sample(2000, _gen(0))
    # The modes are 8 sigma apart: a sample on the far side of 0 is a 1-in-30000 event.
    assert (y == (x[:, 0] > 0).long()).float().mean().item() > 0.999
    assert 900 < int(y.sum()) < 1100


def test_uniform1d_samples_cover_minus_one_to_one_uniformly() -> None:
    x, _ = _default_source("uniform1d").sample(100_000, _gen(0))
    assert x.min().item() >= -1.0
    assert x.max().item() <= 1.0
    assert x.std().item() == pytest.approx(1 / math.sqrt(3), abs=0.01)


def test_uniform1d_positive_sigma_sets_the_standard_deviation() -> None:
    src = DATA_SOURCES.get("uniform1d").build(DataConfig(source="uniform1d", sigma=0.2))
    x, _ = src.sample(100_000, _gen(0))
    assert x.std().item() == pytest.approx(0.2, abs=0.005)


@pytest.mark.parametrize(("name", "sigma"), [("ring8", 0.01), ("ring8_teaching", 0.1)])
def test_ring_samples_lie_at_radius_one_with_std_sigma(name: str, sigma: float) -> None:
    x, _ = _default_source(name).sample(50_000, _gen(0))
    radius = x.norm(dim=1)
    assert radius.mean().item() == pytest.approx(1.0, abs=0.2 * sigma)
    assert radius.std().item() == pytest.approx(sigma, rel=0.05)


@pytest.mark.parametrize("name", ["ring8", "grid25"])
def test_narrow_mixture_labels_are_the_nearest_mode(name: str) -> None:
    src = _default_source(name)
    x, y = src.sample(5000, _gen(0))
    nearest = torch.cdist(x.double(), torch.as_tensor(src.modes)).argmin(dim=1)
    assert torch.equal(nearest, y)


@pytest.mark.parametrize("name", MIXTURES_WITH_MODES)
def test_equal_weight_mixtures_expose_modes_and_mode_sigma(name: str) -> None:
    src = _default_source(name)
    assert src.modes is not None
    assert src.mode_sigma is not None
    assert src.modes.shape == (src.spec.num_classes, src.spec.dim)
    x, y = src.sample(20_000, _gen(0))
    spread = (x.double() - torch.as_tensor(src.modes)[y]).std().item()
    assert spread == pytest.approx(src.mode_sigma, rel=0.05)


def test_ring8_modes_are_eight_points_on_the_unit_circle_with_sigma_001() -> None:
    src = _default_source("ring8")
    assert src.modes.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(src.modes, axis=1), 1.0)
    assert src.mode_sigma == 0.01
    assert src.spec.bounds == ((-1.5, 1.5), (-1.5, 1.5))


def test_grid25_modes_are_the_5x5_grid_with_sigma_005() -> None:
    src = _default_source("grid25")
    expected = {(float(a), float(b)) for a in (-4, -2, 0, 2, 4) for b in (-4, -2, 0, 2, 4)}
    assert {tuple(m) for m in src.modes.tolist()} == expected
    assert src.mode_sigma == 0.05


def test_positive_sigma_overrides_mode_sigma() -> None:
    src = DATA_SOURCES.get("ring8").build(DataConfig(sigma=0.05))
    assert src.mode_sigma == 0.05
    x, _ = src.sample(20_000, _gen(0))
    assert x.norm(dim=1).std().item() == pytest.approx(0.05, rel=0.05)


def test_blobs_have_unequal_weights_matching_label_frequencies() -> None:
    src = _default_source("blobs")
    _, y = src.sample(50_000, _gen(0))
    freq = torch.bincount(y, minlength=src.spec.num_classes).double() / len(y)
    np.testing.assert_allclose(freq.numpy(), src.weights, atol=0.01)
    assert len(set(src.sigmas.tolist())) == len(src.sigmas)


def test_two_moons_labels_both_moons_equally() -> None:
    _, y = _default_source("two_moons").sample(10_000, _gen(0))
    assert 4800 < int(y.sum()) < 5200


def test_line_samples_stay_within_noise_of_the_diagonal() -> None:
    src = _default_source("line")
    x, _ = src.sample(50_000, _gen(0))
    across = (x[:, 1] - x[:, 0]) / math.sqrt(2)  # distance to the line y = x
    assert across.std().item() == pytest.approx(0.02, rel=0.05)
    assert x.min().item() > -1.2
    assert x.max().item() < 1.2
