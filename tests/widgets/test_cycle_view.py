"""CyclePanel: the two blocks of triplets, domain headings, cycle error captions."""

from __future__ import annotations

import numpy as np

from ganlab.app.panels import PANELS
from ganlab.kernel import reports as rep
from ganlab.kernel.registry import MODEL_FAMILIES
from ganlab.widgets.cycle_view import BLOCKS, CyclePanel
from ganlab.widgets.image_view import SEPARATOR, SEPARATOR_FILL

H = 8


def _images(value: int, n: int = 3) -> np.ndarray:
    return np.full((n, H, H, 3), value, dtype=np.uint8)


def _segment(domains=("filled shape", "outline"), n: int = 3) -> rep.SegmentStarted:
    real = np.stack([_images(10, n), _images(200, n)], axis=1)  # (N, 2, H, W, C)
    return rep.SegmentStarted(
        segment=0,
        step=0,
        config_toml="",
        data_kind="unpaired",
        data_shape=(2, 3, H, H),
        class_names=(),
        bounds=None,
        output_kind="score",
        device="cpu",
        param_counts={},
        layer_names={},
        data_summary="",
        real=real,
        real_labels=None,
        real_density=None,
        panel="unpaired",
        domains=domains,
    )


def _snapshot(n: int = 3) -> rep.PanelSnapshot:
    arrays = {key: _images(20 * i + 5, n) for i, key in enumerate(k for b in BLOCKS for k in b)}
    arrays["aba_error"] = np.full(n, 0.25, dtype=np.float32)
    arrays["bab_error"] = np.array([0.1, 0.2, 0.3][:n], dtype=np.float32)
    return rep.PanelSnapshot(0, 10, "unpaired", arrays, {})


def _tile(image: np.ndarray, row: int, col: int) -> np.ndarray:
    y, x = row * (H + SEPARATOR), col * (H + SEPARATOR)
    return image[y : y + H, x : x + H]


def test_the_unpaired_panel_is_the_cycle_panel():
    assert isinstance(PANELS["unpaired"](), CyclePanel)
    assert MODEL_FAMILIES.get("cyclegan").panel in ("", "unpaired")


def test_row_names_name_each_stage_and_its_domain():
    panel = CyclePanel()
    panel.show_segment(_segment(), MODEL_FAMILIES.get("cyclegan"))
    assert panel.row_names(0) == ("A: filled shape", "G(A): outline", "F(G(A)): filled shape")
    assert panel.row_names(1) == ("B: outline", "F(B): filled shape", "G(F(B)): outline")


def test_real_images_fill_the_first_row_of_each_block_the_others_stay_blank():
    panel = CyclePanel()
    info = _segment()
    panel.show_segment(info, MODEL_FAMILIES.get("cyclegan"))
    panel.show_real(info)
    image = panel.block_image(0)
    assert image.shape == (3 * H + 2 * SEPARATOR, 3 * H + 2 * SEPARATOR, 3)  # 3 x 3 tiles
    assert (_tile(image, 0, 2) == 10).all()
    assert (_tile(image, 1, 0) == SEPARATOR_FILL).all()  # G(A) not drawn yet
    assert (_tile(panel.block_image(1), 0, 1) == 200).all()
    assert panel.image_count("ab") == 0


def test_snapshot_fills_every_row_and_the_captions():
    panel = CyclePanel()
    panel.show_segment(_segment(), MODEL_FAMILIES.get("cyclegan"))
    panel.show_snapshot(_snapshot())
    for b, keys in enumerate(BLOCKS):
        for row, key in enumerate(keys):
            assert panel.image_count(key) == 3
            value = 20 * (3 * b + row) + 5
            assert (_tile(panel.block_image(b), row, 2) == value).all(), key
    assert "0.250" in panel._captions[0].text()
    assert "0.200" in panel._captions[1].text()


def test_clear_forgets_the_pictures():
    panel = CyclePanel()
    panel.show_snapshot(_snapshot())
    panel.clear()
    assert all(panel.image_count(k) == 0 for b in BLOCKS for k in b)
    assert panel.block_image(0) is None
    assert panel._captions[0].text() == ""


def test_gray_images_are_shown_too():
    panel = CyclePanel()
    panel.set_images("a", np.zeros((2, H, H), dtype=np.uint8))
    assert panel.image_count("a") == 2
    assert panel.block_image(0).shape == (3 * H + 2 * SEPARATOR, 2 * H + SEPARATOR)


def test_metrics_panel_plots_cyclegan_metrics_in_their_own_plots():
    from ganlab.widgets.metrics_view import MetricsPanel

    panel = MetricsPanel()
    panel.resize(400, 600)
    steps = np.array([10.0, 20.0, 30.0])
    values = {
        "cycle_error_a": np.array([0.9, 0.3, 0.1]),
        "cycle_error_b": np.array([0.8, 0.4, 0.2]),
        "target_share_ab": np.array([0.0, 0.5, 1.0]),
        "target_share_ba": np.array([0.0, 1.0, 1.0]),
        "real_share": np.array([1.0, 1.0, 1.0]),
    }
    panel.set_metrics(steps, values)
    widgets = panel.plot_widgets()
    assert not widgets["cycle"].isHidden()
    assert not widgets["target"].isHidden()
    assert widgets["divergence"].isHidden()
    _, y = panel._curves["target_share_ab"].getData()
    assert list(y) == [0.0, 50.0, 100.0]  # fractions shown in per cent
    # Linked with each other, not with the (hidden) toy plots, whose range would hide them.
    cycle_box = widgets["cycle"].getPlotItem().getViewBox()
    assert cycle_box.linkedView(0) is None
    assert widgets["target"].getPlotItem().getViewBox().linkedView(0) is cycle_box
    panel.set_metrics(np.empty(0), {})
    assert widgets["cycle"].isHidden()
