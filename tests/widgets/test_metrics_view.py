"""MetricsPanel: curves hold the given history; plots without data are hidden."""

from __future__ import annotations

import numpy as np
import pytest

from ganlab.widgets.metrics_view import MetricsPanel


@pytest.fixture
def panel(qtbot):
    p = MetricsPanel()
    qtbot.addWidget(p)
    p.show()
    return p


def test_starts_empty_with_a_hint(panel):
    assert panel._hint.isVisible()
    assert not any(w.isVisible() for w in panel.plot_widgets().values())


def test_mixture_metrics_fill_divergence_modes_and_quality(panel):
    steps = np.array([10, 20, 30])
    panel.set_metrics(
        steps,
        {
            "jsd": np.array([0.6, 0.4, 0.2]),
            "d_bound": np.array([0.1, 0.1, np.nan]),
            "modes_captured": np.array([2.0, 5.0, 8.0]),
            "num_modes": np.array([8.0, 8.0, 8.0]),
            "high_quality": np.array([0.1, 0.5, 0.9]),
        },
    )
    x, y = panel._curves["jsd"].getData()
    assert list(x) == [10, 20, 30]
    assert list(y) == pytest.approx([0.6, 0.4, 0.2])
    x, y = panel._curves["d_bound"].getData()  # NaN (no value at that step) is left out
    assert list(x) == [10, 20]
    assert list(panel._curves["high_quality"].getData()[1]) == pytest.approx([10, 50, 90])
    assert panel._modes_total.value() == 8.0
    visible = {k: w.isVisible() for k, w in panel.plot_widgets().items()}
    assert visible == {
        "divergence": True,
        "modes": True,
        "quality": True,
        "w1": False,
        "held_l1": False,
        "psnr": False,
        "cycle": False,
        "target": False,
        "image": False,
    }


def test_one_dimensional_metrics_show_w1_not_modes(panel):
    panel.set_metrics(np.array([5]), {"jsd": np.array([0.3]), "w1": np.array([1.5])})
    visible = {k: w.isVisible() for k, w in panel.plot_widgets().items()}
    assert visible == {
        "divergence": True,
        "modes": False,
        "quality": False,
        "w1": True,
        "held_l1": False,
        "psnr": False,
        "cycle": False,
        "target": False,
        "image": False,
    }


def test_translation_metrics_show_l1_and_psnr_beside_their_baselines(panel):
    values = {
        "l1_held_out": np.array([0.5, 0.2]),
        "psnr": np.array([10.0, 16.0]),
        "l1_identity": np.array([0.25, 0.25]),
        "psnr_identity": np.array([11.0, 11.0]),
        "l1_mean": np.array([0.23, 0.23]),
        "psnr_mean": np.array([14.0, 14.0]),
    }
    panel.set_metrics(np.array([100, 200]), values)
    visible = {k for k, w in panel.plot_widgets().items() if w.isVisible()}
    assert visible == {"held_l1", "psnr"}
    for key, column in values.items():
        x, y = panel._curves[key].getData()
        assert list(x) == [100, 200]
        assert list(y) == pytest.approx(list(column))
    assert not panel._hint.isVisible()


def test_clear_empties_everything(panel):
    panel.set_metrics(np.array([5]), {"jsd": np.array([0.3])})
    panel.clear()
    assert len(panel._curves["jsd"].getData()[0] or []) == 0
    assert panel._hint.isVisible()


def test_image_metrics_history_shows_fid_and_names_the_feature_space(panel):
    panel.set_image_metrics(
        [
            {"step": 100, "feature_space": "classifier:shapes-32-3", "fid": 40.0, "kid_mean": 0.1},
            {"step": 300, "feature_space": "classifier:shapes-32-3", "fid": 12.5, "kid_mean": 0.02},
        ]
    )
    x, y = panel._curves["fid"].getData()
    assert list(x) == [100, 300]
    assert list(y) == [40.0, 12.5]
    assert panel.plot_widgets()["image"].isVisible()
    assert "classifier:shapes-32-3" in panel._image_label.text()
    assert "12.5" in panel._image_label.text()
    assert not panel._hint.isVisible()


def test_a_single_image_evaluation_is_in_view(panel, qapp):
    panel.set_image_metrics([{"step": 592, "feature_space": "classifier:x", "fid": 76.7}])
    qapp.processEvents()
    (x0, x1), (y0, y1) = panel.plot_widgets()["image"].getPlotItem().getViewBox().viewRange()
    assert x0 <= 592 <= x1
    assert y0 <= 76.7 <= y1


def test_divergences_are_shown_beside_their_noise_floors(panel):
    panel.set_metrics(
        np.array([10, 20]),
        {
            "jsd": np.array([0.3, 0.043]),
            "jsd_floor": np.array([0.012, 0.012]),
            "kl_real_fake": np.array([1.0, 0.25]),
            "kl_real_fake_floor": np.array([0.1, 0.1]),
            "tv": np.array([0.5, np.nan]),  # no value at the last step: the newest finite one
            "tv_floor": np.array([0.2, 0.2]),
        },
    )
    text = panel._divergence_label.text()
    assert "JSD 0.043 (floor 0.012)" in text
    assert "KL(data‖G) 0.25 (floor 0.1)" in text
    assert "TV 0.5 (floor 0.2)" in text
    assert "KL(G‖data)" not in text  # not reported
    assert panel._divergence_label.isVisible()
    _, y = panel._curves["jsd_floor"].getData()
    assert list(y) == pytest.approx([0.012, 0.012])


def test_divergence_without_a_floor_is_shown_alone(panel):
    panel.set_metrics(np.array([5]), {"jsd": np.array([0.2])})
    assert panel._divergence_label.text() == "JSD 0.2"
    assert not panel._curves["jsd_floor"].isVisible()


def test_no_divergence_hides_the_readout(panel):
    panel.set_metrics(np.array([5]), {"w1": np.array([0.2])})
    assert not panel._divergence_label.isVisible()


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            {"n_real": 250, "n_fake": 1000, "kid_subset_size": 250, "kid_subsets": 1},
            "N = 250 real and 1000 generated images, each used once; "
            "KID subset size 250, subsets: 1",
        ),
        ({"n_real": None, "n_fake": 64}, "N = 64 generated images, each used once"),
        ({}, ""),  # a result from before the sample was reported
    ],
)
def test_image_metrics_say_what_sample_they_were_computed_on(panel, result, expected):
    notes = ["FID with N < 2048 (here 250) is biased upward; compare only runs with the same N"]
    panel.set_image_metrics(
        [{"step": 7, "feature_space": "inception-v3", "fid": 3.5, **result, "notes": notes}]
    )
    assert panel.sample_text(result) == expected
    lines = panel._image_label.text().split("\n")
    assert lines[0] == "step 7, inception-v3: fid = 3.5"
    assert lines[1:] == ([expected] if expected else []) + [f"Note: {notes[0]}"]
    assert panel._image_label.isVisible()


def mixture(panel):
    steps = np.arange(0, 400, 40)
    n = len(steps)
    panel.set_metrics(
        steps,
        {
            "jsd": np.linspace(0.69, 0.05, n),
            "jsd_floor": np.full(n, 0.0286),
            "d_bound": np.linspace(0.0, 0.3, n),
            "kl_real_fake": np.full(n, 17.1),
            "kl_real_fake_floor": np.full(n, 0.514),
            "kl_fake_real": np.full(n, 21.1),
            "kl_fake_real_floor": np.full(n, 0.115),
            "tv": np.full(n, 0.993),
            "tv_floor": np.full(n, 0.144),
            "modes_captured": np.linspace(0, 8, n),
            "num_modes": np.full(n, 8.0),
            "high_quality": np.linspace(0, 1, n),
        },
    )


def test_the_divergence_readout_keeps_clear_of_a_highlight_frame(panel, qtbot):
    # A lesson's FrameHighlight draws 5 px over the dock's edge: the text starts inside.
    panel.resize(375, 620)
    mixture(panel)
    label = panel._divergence_label
    qtbot.waitUntil(label.isVisible)
    left = label.mapTo(panel, label.contentsRect().topLeft()).x()
    right = panel.width() - label.mapTo(panel, label.contentsRect().topRight()).x()
    assert left >= 6
    assert right >= 6
    assert label.text().startswith("JSD 0.05 (floor 0.0286)")


def test_legends_sit_above_the_data_inside_the_plot(panel, qtbot):
    panel.resize(375, 620)
    mixture(panel)
    shown = [w for w in panel.plot_widgets().values() if w.isVisible()]
    assert len(shown) == 3

    def placed():
        for w in shown:
            plot = w.getPlotItem()
            legend = plot.legend.mapRectToScene(plot.legend.boundingRect())
            view = plot.getViewBox().mapRectToScene(plot.getViewBox().boundingRect())
            whole = plot.mapRectToScene(plot.boundingRect())
            if legend.bottom() > view.top() + 1 or legend.right() > whole.right() + 1:
                return False
        return True

    qtbot.waitUntil(placed)
