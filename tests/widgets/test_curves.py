"""CurvesPanel: curve data, smoothing and its caches, log scale, layers, markers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from pyqtgraph.exporters import ImageExporter
from PySide6.QtWidgets import QCheckBox

from ganlab.kernel.ringbuffer import RingBuffer
from ganlab.widgets.curves import VIEW_MIN_HEIGHT, CurvesPanel, ema_extend

KEYS = ("d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g", "lr_d", "lr_g")


def reference_ema(values, alpha):
    """TensorBoard's debiased EMA, one value at a time; NaN skipped, output NaN there."""
    out, last, count = [], 0.0, 0
    for x in values:
        if not math.isfinite(x):
            out.append(math.nan)
            continue
        last = alpha * last + (1 - alpha) * x
        count += 1
        out.append(last / (1 - alpha**count))
    return np.array(out)


def readonly(a):
    a = np.array(a, dtype=float)
    a.flags.writeable = False
    return a


def make_series(n, start=1, seed=0):
    rng = np.random.default_rng(seed)
    steps = np.arange(start, start + n, dtype=np.int64)
    steps.flags.writeable = False
    series = {
        "d_loss": readonly(1.0 + 0.3 * rng.standard_normal(n) ** 2),
        "g_loss": readonly(2.0 + 0.3 * rng.standard_normal(n) ** 2),
        "d_real": readonly(0.6 + 0.05 * rng.standard_normal(n)),
        "d_fake": readonly(0.4 + 0.05 * rng.standard_normal(n)),
        "grad_norm_d": readonly(1.0 + rng.random(n)),
        "grad_norm_g": readonly(0.5 + rng.random(n)),
        "lr_d": readonly(np.full(n, 1e-3)),
        "lr_g": readonly(np.full(n, 2e-4)),
    }
    return steps, series


def legend_names(panel, plot):
    legend = panel.plot_widgets()[plot].getPlotItem().legend
    return [label.text for _sample, label in legend.items]


def named_curve(panel, plot, name):
    legend = panel.plot_widgets()[plot].getPlotItem().legend
    for sample, label in legend.items:
        if label.text == name:
            return sample.item
    raise KeyError(name)


def y_of(item):
    return item.getOriginalDataset()[1]


def vertical_lines(panel, plot):
    items = panel.plot_widgets()[plot].getPlotItem().items
    return [it for it in items if isinstance(it, pg.InfiniteLine) and it.angle == 90]


def log_check(panel):
    return next(c for c in panel.findChildren(QCheckBox) if c.text() == "Log scale")


@pytest.fixture
def panel(qtbot):
    widget = CurvesPanel()
    qtbot.addWidget(widget)
    return widget


def test_ema_extend_matches_reference_with_debiasing_and_nan_skipping():
    values = np.array([1.0, 3.0, np.nan, 2.0, np.inf, -4.0, 5.0, 0.5, np.nan, 2.5])
    smoothed, _, _ = ema_extend(values, 0.6)
    np.testing.assert_allclose(smoothed, reference_ema(values, 0.6), rtol=1e-12)


def test_ema_extend_continues_a_split_series_exactly():
    values = np.random.default_rng(1).standard_normal(3000)
    values[::7] = np.nan
    first, biased, count = ema_extend(values[:1234], 0.97)
    second, _, _ = ema_extend(values[1234:], 0.97, biased, count)
    np.testing.assert_allclose(
        np.concatenate([first, second]), reference_ema(values, 0.97), rtol=1e-9
    )


def test_curves_hold_the_given_data_when_smoothing_is_off(panel):
    panel.set_smoothing(0.0)
    steps, series = make_series(50)
    panel.set_data(steps, series)
    x, y = named_curve(panel, "losses", "D loss").getOriginalDataset()
    np.testing.assert_array_equal(x, steps)
    np.testing.assert_array_equal(y, series["d_loss"])
    np.testing.assert_array_equal(y_of(named_curve(panel, "learning_rates", "G")), series["lr_g"])


def test_curves_skip_nan_values_and_join_the_computed_ones(panel):
    panel.set_smoothing(0.0)
    steps, series = make_series(20)
    g_loss = np.array(series["g_loss"])
    g_loss[np.arange(20) % 5 != 0] = np.nan  # G steps once per 5 critic steps
    series["g_loss"] = readonly(g_loss)
    panel.set_data(steps, series)
    curve = named_curve(panel, "losses", "G loss")
    x, y = curve.getOriginalDataset()
    np.testing.assert_array_equal(x, steps[::5])
    np.testing.assert_array_equal(y, g_loss[::5])
    assert curve.opts["connect"] == "finite"


def test_peak_downsampled_curves_with_nan_still_draw(panel, qtbot):
    panel.resize(400, 600)
    panel.show()
    qtbot.waitExposed(panel)
    steps, series = make_series(20000)
    g_loss = np.array(series["g_loss"])
    g_loss[::2] = np.nan  # a D-only step every other step: NaN in every bin
    series["g_loss"] = readonly(g_loss)
    panel.set_data(steps, series)
    panel.grab()  # lays out the views, which sets the downsampling factor
    _x, y = named_curve(panel, "losses", "G loss").getData()
    assert 0 < len(y) < 10000
    assert np.isfinite(y).all()


def test_smoothed_curve_matches_reference_and_raw_curve_stays_behind(panel):
    panel.set_smoothing(0.6)
    steps, series = make_series(40)
    d_loss = np.array(series["d_loss"])
    d_loss[[3, 4, 17]] = np.nan
    series["d_loss"] = readonly(d_loss)
    panel.set_data(steps, series)
    finite = np.isfinite(d_loss)
    x, smoothed = named_curve(panel, "losses", "D loss").getOriginalDataset()
    np.testing.assert_array_equal(x, steps[finite])
    np.testing.assert_allclose(smoothed, reference_ema(d_loss, 0.6)[finite], rtol=1e-12)
    plot = panel.plot_widgets()["losses"].getPlotItem()
    in_legend = {sample.item for sample, _label in plot.legend.items}
    raws = [
        it
        for it in plot.items
        if isinstance(it, pg.PlotDataItem) and it.isVisible() and it not in in_legend
    ]
    assert len(raws) == 2  # D and G
    assert any(np.array_equal(y_of(r), d_loss[finite]) for r in raws)
    assert all(pg.mkPen(r.opts["pen"]).color().alpha() < 128 for r in raws)  # faint


def test_learning_rates_are_never_smoothed(panel):
    panel.set_smoothing(0.9)
    steps, series = make_series(30)
    lr = np.where(steps < 15, 1e-3, 1e-2)
    series["lr_d"] = readonly(lr)
    panel.set_data(steps, series)
    np.testing.assert_array_equal(y_of(named_curve(panel, "learning_rates", "D")), lr)


def test_appending_ten_points_extends_the_smoothing_cache_only(panel):
    panel.set_smoothing(0.9)
    steps, series = make_series(1000)
    panel.set_data(steps[:990], {k: v[:990] for k, v in series.items()})
    before = panel.smoothing_work()
    panel.set_data(steps, series)
    after = panel.smoothing_work()
    assert after["full"] == before["full"]
    smoothed_keys = 6  # every series but the two learning rates is smoothed
    lr_keys = 2  # learning rates follow the window too (for the log-scale check)
    assert after["extended"] - before["extended"] == 10 * (smoothed_keys + lr_keys)
    np.testing.assert_allclose(
        y_of(named_curve(panel, "losses", "D loss")),
        reference_ema(series["d_loss"], 0.9),
        rtol=1e-9,
    )


def test_a_wrapping_ring_buffer_is_followed_without_recomputing(panel):
    panel.set_smoothing(0.8)
    steps, series = make_series(300)
    step_buffer = RingBuffer(100, dtype=np.int64)
    buffers = {k: RingBuffer(100) for k in KEYS}
    for start in range(0, 300, 25):
        step_buffer.append(steps[start : start + 25])
        for k in KEYS:
            buffers[k].append(series[k][start : start + 25])
        panel.set_data(step_buffer.view(), {k: b.view() for k, b in buffers.items()})
    assert panel.smoothing_work()["full"] == 25 * len(KEYS)  # the first frame only
    # The points kept are smoothed as part of the whole history, not from the window start.
    expected = reference_ema(series["g_loss"], 0.8)[-100:]
    np.testing.assert_allclose(y_of(named_curve(panel, "losses", "G loss")), expected, rtol=1e-9)


def test_clear_forces_a_full_recompute(panel):
    steps, series = make_series(200)
    panel.set_data(steps, series)
    panel.clear()
    before = panel.smoothing_work()
    panel.set_data(steps, series)
    assert panel.smoothing_work()["full"] - before["full"] == 200 * len(KEYS)


def test_changing_the_factor_recomputes_with_the_new_factor(panel):
    steps, series = make_series(200)
    panel.set_data(steps, series)
    before = panel.smoothing_work()["full"]
    panel.set_smoothing(0.3)
    panel.set_data(steps, series)
    assert panel.smoothing_work()["full"] - before >= 200 * 6
    np.testing.assert_allclose(
        y_of(named_curve(panel, "outputs", "mean D(x), real")),
        reference_ema(series["d_real"], 0.3),
        rtol=1e-12,
    )


def test_clear_empties_every_curve_and_marker(panel):
    steps, series = make_series(50)
    panel.set_data(steps, series)
    panel.set_markers([(10, "lr_d 0.001→0.01")])
    panel.clear()
    y = y_of(named_curve(panel, "grad_norms", "D total"))
    assert y is None or len(y) == 0
    assert not any(line.isVisible() for line in vertical_lines(panel, "losses"))


def test_log_scale_is_refused_on_a_plot_with_values_at_or_below_zero(panel):
    steps, series = make_series(50)
    d_loss = np.array(series["d_loss"])
    d_loss[20] = -0.5  # e.g. a Wasserstein critic loss
    series["d_loss"] = readonly(d_loss)
    panel.set_data(steps, series)
    panel.set_log_scale(True)
    assert panel.log_scale_in_effect() == {"losses": False, "grad_norms": True}
    assert not panel.plot_widgets()["losses"].getPlotItem().getAxis("left").logMode
    assert panel.plot_widgets()["grad_norms"].getPlotItem().getAxis("left").logMode
    assert "losses plot stays linear" in log_check(panel).toolTip()


def test_log_scale_returns_once_the_negative_values_leave_the_window(panel):
    steps, series = make_series(60)
    d_loss = np.array(series["d_loss"])
    d_loss[5] = 0.0
    series["d_loss"] = readonly(d_loss)
    panel.set_log_scale(True)
    panel.set_data(steps[:30], {k: v[:30] for k, v in series.items()})
    assert not panel.log_scale_in_effect()["losses"]
    panel.set_data(steps[10:], {k: v[10:] for k, v in series.items()})
    assert panel.log_scale_in_effect()["losses"]
    assert "losses plot stays linear" not in log_check(panel).toolTip()


def test_per_layer_curves_appear_with_their_names_when_toggled(panel):
    steps, series = make_series(40)
    norms = readonly(np.abs(np.random.default_rng(2).standard_normal((40, 3))) + 0.1)
    panel.set_data(steps, series)
    panel.set_layer_norms("d", ("conv1", "conv2", "fc"), norms)
    assert "D: conv1" not in legend_names(panel, "grad_norms")
    panel.set_smoothing(0.0)
    panel.set_per_layer(True)
    assert legend_names(panel, "grad_norms")[2:] == ["D: conv1", "D: conv2", "D: fc"]
    curve = named_curve(panel, "grad_norms", "D: conv2")
    assert curve.isVisible()
    np.testing.assert_array_equal(y_of(curve), norms[:, 1])
    panel.set_per_layer(False)
    assert legend_names(panel, "grad_norms") == ["D total", "G total"]
    assert not curve.isVisible()


def test_per_layer_curves_reuse_their_items_for_new_names(panel):
    panel.set_per_layer(True)
    steps, series = make_series(10)
    panel.set_data(steps, series)
    panel.set_layer_norms("g", ("a", "b", "c"), readonly(np.ones((10, 3))))
    count = len(panel.plot_widgets()["grad_norms"].getPlotItem().items)
    panel.set_layer_norms("g", ("fc", "deconv"), readonly(np.ones((10, 2))))
    assert len(panel.plot_widgets()["grad_norms"].getPlotItem().items) == count
    assert legend_names(panel, "grad_norms")[2:] == ["G: fc", "G: deconv"]


def test_layer_norms_given_before_their_steps_are_drawn_by_the_next_set_data(panel):
    panel.set_smoothing(0.0)
    panel.set_per_layer(True)
    steps, series = make_series(30)
    norms = readonly(np.arange(60.0).reshape(30, 2) + 1)
    panel.set_data(steps[:20], {k: v[:20] for k, v in series.items()})
    panel.set_layer_norms("g", ("fc", "out"), norms)  # already 30 rows: not drawn yet
    assert y_of(named_curve(panel, "grad_norms", "G: out")) is None
    panel.set_data(steps, series)
    np.testing.assert_array_equal(y_of(named_curve(panel, "grad_norms", "G: out")), norms[:, 1])


def test_set_data_does_not_redraw_layer_norms_it_already_drew(panel):
    panel.set_smoothing(0.0)
    panel.set_per_layer(True)
    steps, series = make_series(35)
    norms = np.ones((30, 2))
    panel.set_data(steps[:30], {k: v[:30] for k, v in series.items()})
    panel.set_layer_norms("d", ("a", "b"), norms)
    norms[:] = 99.0  # a full ring buffer moved on under the old view: same length
    panel.set_data(steps[5:], {k: v[5:] for k, v in series.items()})
    assert np.all(y_of(named_curve(panel, "grad_norms", "D: a")) == 1.0)


def test_markers_are_drawn_on_every_plot_at_their_steps(panel):
    panel.set_markers([(100, "lr_d 0.001→0.01"), (300, "loss wgan")])
    for plot in CurvesPanel.PLOTS:
        shown = [line for line in vertical_lines(panel, plot) if line.isVisible()]
        assert sorted(line.value() for line in shown) == [100, 300]
    labels = {line.label.textItem.toPlainText() for line in vertical_lines(panel, "losses")}
    assert labels == {"lr_d 0.001→0.01", "loss wgan"}


def test_fewer_markers_reuse_the_pool_and_hide_the_extras(panel):
    panel.set_markers([(100, "a"), (200, "b"), (300, "c")])
    pool = vertical_lines(panel, "grad_norms")
    panel.set_markers([(250, "lr_g {new}")])
    assert vertical_lines(panel, "grad_norms") == pool
    shown = [line for line in pool if line.isVisible()]
    assert [line.value() for line in shown] == [250]
    assert shown[0].label.textItem.toPlainText() == "lr_g {new}"


def test_probability_outputs_have_a_unit_range_and_a_half_line(panel):
    steps, series = make_series(30)
    panel.set_data(steps, series)
    plot = panel.plot_widgets()["outputs"].getPlotItem()
    low, high = plot.getViewBox().viewRange()[1]
    assert low == pytest.approx(0.0, abs=0.05)
    assert high == pytest.approx(1.0, abs=0.05)
    half = [it for it in plot.items if isinstance(it, pg.InfiniteLine) and it.angle == 0]
    assert [h.value() for h in half if h.isVisible()] == [0.5]
    assert "mean D(x), real" in legend_names(panel, "outputs")


def test_score_outputs_range_automatically_without_half_line(panel):
    panel.set_output_kind("score")
    steps, series = make_series(30)
    series["d_real"] = readonly(np.linspace(-8.0, 12.0, 30))
    panel.set_data(steps, series)
    plot = panel.plot_widgets()["outputs"].getPlotItem()
    low, high = plot.getViewBox().viewRange()[1]
    assert low <= -8.0
    assert high >= 12.0
    half = [it for it in plot.items if isinstance(it, pg.InfiniteLine) and it.angle == 0]
    assert not any(h.isVisible() for h in half)
    assert "mean critic score, real" in legend_names(panel, "outputs")
    assert plot.getAxis("left").labelText == "critic score"


def test_ranges_stay_put_while_new_steps_fit_and_grow_when_they_do_not(panel):
    """Stable ranges keep pyqtgraph's cached axis pictures: no re-render every frame."""
    steps, series = make_series(100)
    panel.set_data(steps, series)
    vb = panel.plot_widgets()["losses"].getPlotItem().getViewBox()
    first = [list(r) for r in vb.viewRange()]
    assert first[0][1] >= 100  # the last step is in view
    # Ten more steps whose values repeat earlier ones: nothing leaves the view.
    steps = readonly(np.arange(1, 111, dtype=np.int64))
    series = {k: readonly(np.concatenate([v, v[-10:]])) for k, v in series.items()}
    panel.set_data(steps, series)
    assert [list(r) for r in vb.viewRange()] == first
    steps, series = make_series(1000)
    panel.set_data(steps, series)
    assert vb.viewRange()[0][1] >= 1000


def test_a_manual_pan_stops_the_view_following_until_clear(panel):
    steps, series = make_series(100)
    panel.set_data(steps, series)
    vb = panel.plot_widgets()["losses"].getPlotItem().getViewBox()
    vb.sigRangeChangedManually.emit([True, True])
    vb.setXRange(10, 20, padding=0)
    steps, series = make_series(5000)
    panel.set_data(steps, series)
    assert vb.viewRange()[0] == pytest.approx([10, 20])
    panel.clear()
    panel.set_data(steps, series)
    assert vb.viewRange()[0][1] >= 5000


def test_an_unknown_output_kind_is_an_error(panel):
    with pytest.raises(ValueError, match="probability"):
        panel.set_output_kind("logits")


def test_each_plot_can_be_exported_as_png(panel, tmp_path):
    steps, series = make_series(100)
    panel.resize(600, 600)
    panel.set_data(steps, series)
    widgets = panel.plot_widgets()
    assert list(widgets) == ["losses", "outputs", "grad_norms", "learning_rates"]
    target = tmp_path / "losses.png"
    ImageExporter(widgets["losses"].getPlotItem()).export(str(target))
    assert target.stat().st_size > 1000


def test_render_realistic_run_for_review(panel):
    """Not a pixel test: writes /tmp/shots/curves.png for a person to look at."""
    rng = np.random.default_rng(0)
    n = 5000
    steps = np.arange(1, n + 1)
    t = steps / n
    series = {
        "d_loss": 1.4 * np.exp(-3 * t) + 0.5 + 0.15 * rng.standard_normal(n),
        "g_loss": 2.0 * np.exp(-2 * t) + 0.8 + 0.25 * rng.standard_normal(n),
        "d_real": np.clip(0.6 + 0.05 * rng.standard_normal(n), 0, 1),
        "d_fake": np.clip(0.4 + 0.05 * rng.standard_normal(n), 0, 1),
        "grad_norm_d": np.exp(-t) * (2 + 0.5 * rng.standard_normal(n)) ** 2,
        "grad_norm_g": np.exp(-2 * t) * (1 + 0.3 * rng.standard_normal(n)) ** 2,
        "lr_d": np.where(steps < 3000, 1e-3, 1e-2),
        "lr_g": np.full(n, 1e-3),
    }
    series["g_loss"][::5] = np.nan  # D-only steps
    panel.resize(900, 900)
    panel.show()
    panel.set_data(steps, series)
    panel.set_markers([(3000, "lr_d 0.001→0.01")])
    out = Path("/tmp/shots")
    out.mkdir(parents=True, exist_ok=True)
    assert panel.grab().save(str(out / "curves.png"))


def auto_range_states(panel):
    return {
        name: w.getPlotItem().getViewBox().autoRangeEnabled()
        for name, w in panel.plot_widgets().items()
    }


def test_toggling_log_scale_leaves_pyqtgraphs_auto_range_off_on_every_plot(panel, qtbot):
    # setLogMode switches pyqtgraph's auto range back on; on the X-linked plots that
    # made the ranges chase each other and froze the window (issue 9, item 1).
    steps, series = make_series(3000)
    panel.set_data(steps, series)
    panel.resize(500, 800)
    panel.show()
    x_before = panel.plot_widgets()["grad_norms"].getPlotItem().getViewBox().viewRange()[0]
    for on in (True, False, True, False, True):
        panel.set_log_scale(on)
        panel.set_data(steps, series)
        for name, state in auto_range_states(panel).items():
            assert state == [False, False], (name, on)
        for w in panel.plot_widgets().values():
            w.grab()  # paints every axis: must return
    x_after = panel.plot_widgets()["grad_norms"].getPlotItem().getViewBox().viewRange()[0]
    assert x_after == pytest.approx(x_before)
    assert panel.log_scale_in_effect() == {"losses": True, "grad_norms": True}


def test_a_short_log_range_labels_only_one_two_and_five(panel):
    axis = panel.plot_widgets()["losses"].getPlotItem().getAxis("left")
    axis.setLogMode(False, True)
    levels = axis.tickValues(-1.0, 1.0, 400)  # 0.1 .. 10
    labelled = np.concatenate([np.asarray(v) for s, v in levels if s is None][:1])
    digits = set(np.rint(10 ** (labelled - np.floor(labelled + 1e-9))).astype(int).tolist())
    assert digits == {1, 2, 5}


def test_the_auto_button_resumes_following_after_a_manual_pan(panel):
    steps, series = make_series(100)
    panel.set_data(steps, series)
    plot = panel.plot_widgets()["losses"].getPlotItem()
    vb = plot.getViewBox()
    vb.sigRangeChangedManually.emit([True, True])
    vb.setXRange(10, 20, padding=0)
    plot.autoBtn.clicked.emit(plot.autoBtn)
    assert vb.autoRangeEnabled() == [False, False]
    steps, series = make_series(5000)
    panel.set_data(steps, series)
    assert vb.viewRange()[0][1] >= 5000


def test_the_menus_auto_range_is_taken_as_follow_the_data(panel):
    steps, series = make_series(100)
    panel.set_data(steps, series)
    vb = panel.plot_widgets()["grad_norms"].getPlotItem().getViewBox()
    vb.sigRangeChangedManually.emit([True, True])
    vb.enableAutoRange(axis="x")  # the context menu's "X axis > Auto"
    assert auto_range_states(panel)["grad_norms"] == [False, False]
    steps, series = make_series(5000)
    panel.set_data(steps, series)
    assert vb.viewRange()[0][1] >= 5000


def test_after_log_toggles_every_plot_still_shows_the_newest_step(panel):
    for n, on in ((640, True), (900, False), (1100, True), (1900, True)):
        steps, series = make_series(n)
        panel.set_log_scale(on)
        panel.set_data(steps, series)
        for name, w in panel.plot_widgets().items():
            lo, hi = w.getPlotItem().getViewBox().viewRange()[0]
            assert lo <= 1, name
            assert hi >= n, (name, n, hi)


def test_a_settings_marker_near_the_right_edge_writes_its_text_leftwards(panel):
    steps, series = make_series(1000)
    panel.set_data(steps, series)
    panel.set_markers([(100, "lr_d 0.001→0.01"), (990, "loss non_saturating→wgan_gp")])
    early, late = vertical_lines(panel, "losses")[:2]
    assert early.label.anchors[0][0] == 0  # text to the right of an early line
    assert late.label.anchors[0][0] == 1  # and to the left of one at the right edge


def test_the_legend_never_overlaps_the_title(panel, qtbot):
    panel.resize(420, 900)
    panel.show()
    steps, series = make_series(200)
    panel.set_data(steps, series)
    panel.set_layer_norms("d", ("net.fc1", "net.fc2", "net.out"), np.ones((200, 3)))
    panel.set_per_layer(True)
    for kind in ("probability", "score"):
        panel.set_output_kind(kind)
        for name, w in panel.plot_widgets().items():
            plot = w.getPlotItem()
            title = plot.titleLabel.item.mapRectToScene(plot.titleLabel.item.boundingRect())
            legend = plot.legend.mapRectToScene(plot.legend.boundingRect())
            view = plot.getViewBox().mapRectToScene(plot.getViewBox().boundingRect())
            assert not legend.intersects(title), (kind, name)
            assert legend.bottom() <= view.top() + 1, (kind, name)


def test_a_live_loss_switch_draws_d_outputs_only_after_it(panel):
    """A probability before the switch and a critic score after it are not one line."""
    steps, series = make_series(1000)
    panel.set_data(steps, series)
    panel.set_output_kind("score", from_step=600)
    panel.set_data(steps, series)
    x, _y = panel._curves["d_real"].line.getOriginalDataset()
    assert x.min() > 600
    assert x.max() == 1000
    x_loss, _ = panel._curves["d_loss"].line.getOriginalDataset()
    assert x_loss.min() == 1  # the losses keep their whole history
    panel.set_output_kind("score", from_step=800)  # the same kind again: nothing moves
    panel.set_data(steps, series)
    assert panel._curves["d_real"].line.getOriginalDataset()[0].min() > 600
    panel.clear()
    panel.set_data(steps, series)
    assert panel._curves["d_real"].line.getOriginalDataset()[0].min() == 1


def scene_rect(item):
    return item.mapRectToScene(item.boundingRect())


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_short_dock_scrolls_rather_than_squash_a_plot(language, request, qtbot):
    # The Curves dock at 1280x720: about 375 x 560 pixels under its tab.
    if language == "es":
        request.getfixturevalue("spanish")
    panel = CurvesPanel()
    qtbot.addWidget(panel)
    panel.resize(375, 560)
    panel.show()
    qtbot.waitExposed(panel)
    steps, series = make_series(300)
    panel.set_data(steps, series)
    views = [w.getPlotItem().getViewBox() for w in panel.plot_widgets().values()]
    # The minimum heights grow with the title bands, laid out at the next events.
    qtbot.waitUntil(lambda: all(v.height() >= VIEW_MIN_HEIGHT - 1 for v in views))
    for name, w in panel.plot_widgets().items():
        plot = w.getPlotItem()
        view = plot.getViewBox()
        # Every legend entry inside the plot's width: none cut off at the right edge.
        legend = scene_rect(plot.legend)
        assert legend.right() <= scene_rect(plot).right() + 1, (language, name)
        assert legend.bottom() <= scene_rect(view).top() + 1, (language, name)
    # The y-axis title of the losses ("loss", "pérdida") fits and is shown.
    assert panel.plot_widgets()["losses"].getPlotItem().getAxis("left").label.isVisible()


def test_setting_markers_close_together_do_not_write_over_each_other(panel, qtbot):
    panel.resize(375, 700)
    panel.show()
    qtbot.waitExposed(panel)
    steps, series = make_series(1000)
    panel.set_data(steps, series)
    panel.set_markers([(400, "k_g 1→0"), (410, "k_d 1→5"), (420, "lr_g 0.001→0.0002")])
    labels = [line.label for line in vertical_lines(panel, "losses") if line.isVisible()]

    def apart():
        rects = [scene_rect(label) for label in labels if label.isVisible()]
        return len(rects) >= 2 and not any(
            a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1 :]
        )

    qtbot.waitUntil(apart)  # the labels move at the next repaint of the view
    # Only the top plot carries texts; every line names its change in a tooltip.
    for name in ("outputs", "grad_norms", "learning_rates"):
        lines = [line for line in vertical_lines(panel, name) if line.isVisible()]
        assert lines
        assert not any(line.label.isVisible() for line in lines)
        assert {line.toolTip() for line in lines} == {
            "k_g 1→0",
            "k_d 1→5",
            "lr_g 0.001→0.0002",
        }


def test_loss_terms_show_only_for_a_family_that_reports_them(panel):
    steps, series = make_series(50)
    terms = {
        "g_adv": readonly(np.full(50, 0.7)),
        "l1": readonly(np.full(50, 0.2)),
        "cycle": readonly(np.full(50, np.nan)),
        "identity": readonly(np.full(50, np.nan)),
    }
    panel.set_data(steps, {**series, **terms})
    assert legend_names(panel, "losses") == ["D loss", "G loss"]
    panel.set_loss_terms(("g_adv", "l1"))
    panel.set_data(steps, {**series, **terms})
    assert legend_names(panel, "losses") == ["D loss", "G loss", "G adversarial", "L1"]
    l1 = named_curve(panel, "losses", "L1")
    assert l1.isVisible()
    assert np.allclose(y_of(l1), 0.2)
    panel.set_loss_terms(("g_adv", "cycle", "identity", "not_a_term"))
    assert legend_names(panel, "losses") == [
        "D loss",
        "G loss",
        "G adversarial",
        "cycle",
        "identity",
    ]
    assert not l1.isVisible()
    panel.set_loss_terms(())
    assert legend_names(panel, "losses") == ["D loss", "G loss"]
