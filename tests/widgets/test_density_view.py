"""DensityPanel: densities, D and the optimal D*, probability vs score outputs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from ganlab.widgets import style
from ganlab.widgets.density_view import DensityPanel, histogram_density, optimal_discriminator

GRID = np.linspace(-1.0, 5.0, 121)


def _normal(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


@pytest.fixture
def panel(qtbot):
    widget = DensityPanel()
    qtbot.addWidget(widget)
    widget.configure(GRID, "probability")
    return widget


def _curve(item):
    x, y = item.getData()
    return np.asarray(x), np.asarray(y)


def test_d_star_is_one_half_where_the_densities_are_equal():
    p = _normal(GRID, 2.0, 0.5)
    np.testing.assert_allclose(optimal_discriminator(p, p)[np.abs(GRID - 2.0) < 1.0], 0.5)


def test_d_star_is_a_gap_where_both_densities_are_zero():
    p = np.array([0.0, 0.0, 1.0, 0.0])
    q = np.array([0.0, 1.0, 1.0, 0.0])
    d_star = optimal_discriminator(p, q)
    assert np.isnan(d_star[[0, 3]]).all()
    np.testing.assert_allclose(d_star[[1, 2]], [0.0, 0.5])


def test_d_star_follows_the_formula():
    p = _normal(GRID, 2.0, 0.5)
    q = _normal(GRID, 2.5, 0.5)
    d_star = optimal_discriminator(p, q)
    finite = np.isfinite(d_star)
    np.testing.assert_allclose(d_star[finite], (p / (p + q))[finite])
    assert finite[np.abs(GRID - 2.25) < 1.0].all()


def test_histogram_density_integrates_to_one_inside_the_grid():
    samples = np.random.default_rng(0).normal(2.0, 0.5, 2000)
    edges, heights, on_grid = histogram_density(samples, GRID)
    assert np.sum(heights * np.diff(edges)) == pytest.approx(1.0, abs=1e-3)
    assert on_grid.shape == GRID.shape


def test_exact_real_density_is_drawn_as_a_curve_on_the_grid(panel):
    density = _normal(GRID, 2.0, 0.5)
    panel.set_real(np.zeros((4, 1)), density)
    x, y = _curve(panel.real_curve)
    np.testing.assert_allclose(x, GRID)
    np.testing.assert_allclose(y, density)


def test_real_samples_without_a_density_are_drawn_as_a_histogram(panel):
    samples = np.random.default_rng(0).normal(2.0, 0.5, (500, 1))
    panel.set_real(samples, None)
    assert panel.real_curve.opts["stepMode"] == "center"
    x, y = _curve(panel.real_curve)
    assert len(x) == len(y) + 1  # bin edges
    assert np.sum(y * np.diff(x)) == pytest.approx(1.0, abs=0.01)


def test_fake_density_and_field_are_drawn_as_given(panel):
    fake_density = _normal(GRID, 2.5, 0.2)
    field = np.linspace(0.9, 0.1, GRID.size)
    panel.set_snapshot(np.full((8, 1), 2.5), fake_density, field)
    np.testing.assert_allclose(_curve(panel.fake_curve)[1], fake_density)
    np.testing.assert_allclose(_curve(panel.d_curve)[1], field)


def test_panel_draws_d_star_from_the_two_densities(panel):
    p = _normal(GRID, 2.0, 0.5)
    q = _normal(GRID, 2.5, 0.3)
    panel.set_real(np.zeros((1, 1)), p)
    panel.set_snapshot(np.zeros((1, 1)), q, np.full(GRID.size, 0.5))
    _, y = _curve(panel.d_star_curve)
    np.testing.assert_allclose(y, optimal_discriminator(p, q), equal_nan=True)


def test_rug_has_one_tick_per_fake_sample_at_its_position(panel):
    fake = np.array([[0.5], [1.5], [2.5]])
    panel.set_snapshot(fake, None, np.full(GRID.size, 0.5))
    x, y = _curve(panel.rug_item)
    np.testing.assert_allclose(x, [0.5, 0.5, 1.5, 1.5, 2.5, 2.5])
    assert (y < 0).all()  # below the densities, in the rug band


def test_probability_output_fixes_the_d_axis_and_shows_d_star_and_one_half(panel):
    (low, high) = panel.d_box.viewRange()[1]
    assert low < 0.0
    assert high == pytest.approx(1.05)
    assert panel.d_star_curve.isVisible()
    assert panel.half_line.isVisible()
    np.testing.assert_allclose(_curve(panel.half_line)[1], [0.5, 0.5])


def test_score_output_hides_d_star_and_the_half_line(panel):
    panel.configure(GRID, "score")
    p = _normal(GRID, 2.0, 0.5)
    panel.set_real(np.zeros((1, 1)), p)
    panel.set_snapshot(np.zeros((1, 1)), p, np.linspace(-3, 3, GRID.size))
    assert not panel.d_star_curve.isVisible()
    assert not panel.half_line.isVisible()
    assert panel.d_box.state["autoRange"][1]


def test_score_output_legend_says_d_is_a_critic_score(panel):
    panel.configure(GRID, "score")
    labels = [label.text for _, label in panel.legend.items]
    assert any("critic score" in text for text in labels)
    assert not any(text.startswith("D*") for text in labels)


def test_clear_empties_every_curve(panel):
    p = _normal(GRID, 2.0, 0.5)
    panel.set_real(np.zeros((1, 1)), p)
    panel.set_snapshot(np.zeros((3, 1)), p, np.full(GRID.size, 0.5))
    panel.clear()
    for item in (
        panel.real_curve,
        panel.fake_curve,
        panel.d_curve,
        panel.d_star_curve,
        panel.rug_item,
    ):
        assert item.getData() == (None, None)
    assert panel.d_star() is None


def test_grid_mismatch_is_an_error(panel):
    with pytest.raises(ValueError, match="grid"):
        panel.set_real(np.zeros((1, 1)), np.ones(GRID.size + 1))


def test_renders_realistic_data_in_the_curve_colours(panel, tmp_path):
    """N(2, 0.5) real vs a narrower fake; GANLAB_SHOTS=dir keeps the PNG to look at."""
    rng = np.random.default_rng(0)
    fake = rng.normal(2.6, 0.25, (512, 1))
    field = 0.15 + 0.7 / (1 + np.exp(-3 * (2.4 - GRID)))
    panel.set_real(rng.normal(2.0, 0.5, (512, 1)), _normal(GRID, 2.0, 0.5))
    panel.set_snapshot(fake, _normal(GRID, 2.6, 0.27), field)
    panel.resize(900, 700)
    pixmap = panel.grab()
    out = Path(os.environ.get("GANLAB_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(out / "density_view.png"))
    image = pixmap.toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 900, 2) for y in range(0, 600, 2)}
    assert {style.REAL, style.FAKE, style.D_COLOR} <= colours


def _right_label(panel) -> str:
    return panel.plot.getAxis("right").labelText


def _legend_texts(panel) -> list[str]:
    return [label.text for _, label in panel.legend.items]


def _shown_data(panel):
    """Real and generated densities and a D curve, as during training."""
    p, q = _normal(GRID, 2.0, 0.5), _normal(GRID, 2.5, 0.3)
    field = np.linspace(0.9, 0.1, GRID.size)
    panel.set_real(np.zeros((1, 1)), p)
    panel.set_snapshot(np.full((4, 1), 2.5), q, field)
    return p, q, field


def test_switching_to_score_live_hides_d_star_and_the_half_line_and_keeps_the_curves(panel):
    p, q, field = _shown_data(panel)
    panel.set_output_kind("score")
    np.testing.assert_allclose(_curve(panel.d_curve)[1], field)
    np.testing.assert_allclose(_curve(panel.real_curve)[1], p)
    np.testing.assert_allclose(_curve(panel.fake_curve)[1], q)
    assert not panel.half_line.isVisible()
    assert not panel.d_star_curve.isVisible()
    assert panel.d_box.state["autoRange"][1]
    assert "critic score" in _right_label(panel)
    for text in [_right_label(panel), *_legend_texts(panel)]:
        assert "can't tell" not in text
        assert "½" not in text


def test_switching_back_to_probability_restores_the_fixed_axis_half_line_and_d_star(panel):
    p, q, _ = _shown_data(panel)
    panel.set_output_kind("score")
    panel.set_output_kind("probability")
    assert panel.half_line.isVisible()
    assert panel.d_star_curve.isVisible()
    np.testing.assert_allclose(_curve(panel.d_star_curve)[1], optimal_discriminator(p, q))
    assert panel.d_box.viewRange()[1][1] == pytest.approx(1.05)
    assert not panel.d_box.state["autoRange"][1]
    assert "½ = can't tell" in _right_label(panel)
    assert any("equilibrium" in text for text in _legend_texts(panel))


def test_set_output_kind_twice_is_the_same_as_once(panel):
    _shown_data(panel)
    panel.set_output_kind("score")
    once = (_right_label(panel), _legend_texts(panel), panel.graphics.toolTip())
    panel.set_output_kind("score")
    assert (_right_label(panel), _legend_texts(panel), panel.graphics.toolTip()) == once
    assert panel.output_kind() == "score"


def test_unknown_output_kind_is_an_error(panel):
    with pytest.raises(ValueError, match="probability"):
        panel.set_output_kind("logit")
    with pytest.raises(ValueError, match="probability"):
        panel.configure(GRID, "logit")


@pytest.mark.parametrize("kind", ["probability", "score"])
def test_renders_both_output_kinds_with_label_and_legend_clear_of_the_plot(qtbot, kind, tmp_path):
    """GANLAB_SHOTS=dir keeps the PNG to look at."""
    panel = DensityPanel()
    qtbot.addWidget(panel)
    panel.configure(GRID, "probability")
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    rng = np.random.default_rng(0)
    field = 0.15 + 0.7 / (1 + np.exp(-3 * (2.4 - GRID)))
    if kind == "score":
        field = 40.0 * (field - 0.5)
    panel.set_real(rng.normal(2.0, 0.5, (512, 1)), _normal(GRID, 2.0, 0.5))
    panel.set_snapshot(rng.normal(2.6, 0.25, (512, 1)), _normal(GRID, 2.6, 0.27), field)
    panel.set_output_kind(kind)
    pixmap = panel.grab()
    out = Path(os.environ.get("GANLAB_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    assert pixmap.save(str(out / f"density_view_{kind}.png"))
    label = panel.plot.getAxis("right").label
    box = label.mapRectToScene(label.boundingRect())
    assert panel.graphics.sceneRect().contains(box)
    assert box.center().y() == pytest.approx(
        panel.density_box.sceneBoundingRect().center().y(), abs=4
    )
    legend = panel.legend.mapRectToScene(panel.legend.boundingRect())
    assert legend.top() >= panel.density_box.sceneBoundingRect().bottom()
