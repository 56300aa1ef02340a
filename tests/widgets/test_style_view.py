"""The style panel: drawing snapshots and answers, and the requests ψ and the crossover send."""

from __future__ import annotations

import numpy as np
import pytest

from ganlab.kernel import reports as rep
from ganlab.widgets.style_view import HEADER_GAP, StylePanel, mixing_canvas

SIDES = (4, 8, 8, 16, 16, 32, 32, 32)


def _images(n: int, value: int = 0) -> np.ndarray:
    return np.full((n, 32, 32, 3), value, dtype=np.uint8)


def _arrays(psi: float = 1.0, crossover: int = 3) -> dict:
    return {
        "samples": _images(64, 10),
        "mix_rows": _images(4, 20),
        "mix_cols": _images(5, 30),
        "mixing": _images(20, 40),
        "interp_z": _images(9, 50),
        "interp_w": _images(9, 60),
        "layer_sides": np.asarray(SIDES, dtype=np.int64),
        "crossover": np.asarray(crossover),
        "psi": np.asarray(psi),
    }


def _snapshot(**kw) -> rep.PanelSnapshot:
    return rep.PanelSnapshot(0, 5, "style", _arrays(**kw), {"psi": 1.0, "ppl_z": 2.0, "ppl_w": 1.0})


@pytest.fixture
def panel(qtbot):
    p = StylePanel()
    qtbot.addWidget(p)
    p.show_snapshot(_snapshot())
    return p


def test_mixing_canvas_puts_the_sources_in_the_headers():
    rows, cols = _images(2, 1), _images(3, 2)
    grid = _images(6, 3)
    images, cells = mixing_canvas(rows, cols, grid)
    assert cells.shape == (3, 4)
    assert cells[0, 0] == -1
    assert (images[cells[0, 1:]] == 2).all()  # top row: column sources
    assert (images[cells[1:, 0]] == 1).all()  # left column: row sources
    assert (images[cells[1:, 1:].ravel()] == 3).all()
    with pytest.raises(ValueError, match="expected 2 x 3"):
        mixing_canvas(rows, cols, grid[:5])


def test_a_snapshot_draws_every_view_and_fills_the_crossover_choices(panel):
    assert panel.samples_widget.getPlotItem().items[0].image is not None
    mixing = panel.mixing_item.image
    # (4 + 1) rows and (5 + 1) columns of 32 px with 2 px separators, headers set apart
    gap = HEADER_GAP
    assert mixing.shape[:2] == (5 * 34 - 2 + gap, 6 * 34 - 2 + gap)
    assert (mixing[32 : 34 + gap] == 255).all()  # blank band under the header row
    assert "layers 0–2" in panel.mixing_label.text()
    assert "layers 3–7" in panel.mixing_label.text()
    assert panel.interp.cells.shape == (2, 9)
    assert panel.crossover_box.count() == len(SIDES) - 1
    assert panel.crossover == 3
    assert panel.crossover_box.currentText() == "3 (16 px)"
    assert "z 2" in panel.path_label.text()


def test_moving_psi_asks_for_every_view_at_the_new_psi(panel, qtbot):
    with qtbot.waitSignal(panel.panel_requested) as blocker:
        panel.psi_slider.setValue(70)
    what, params = blocker.args
    assert what == "all"
    assert params == {"psi": 0.7, "crossover": 3}
    assert "0.70" in panel.psi_label.text()


def test_choosing_a_crossover_asks_for_the_mixing_grid(panel, qtbot):
    with qtbot.waitSignal(panel.panel_requested) as blocker:
        panel.crossover_box.setCurrentIndex(panel.crossover_box.findData(5))
    assert blocker.args == ["mixing", {"psi": 1.0, "crossover": 5}]


def test_an_answer_redraws_only_what_it_carries(panel):
    before = panel.samples.item.image.copy()
    arrays = _arrays(psi=0.5, crossover=3)
    answer = {k: arrays[k] for k in ("mix_rows", "mix_cols", "layer_sides", "crossover", "psi")}
    answer["mixing"] = _images(20, 99)
    panel.show_answer(rep.PanelAnswer(0, 1, "style", "mixing", answer))
    assert (panel.mixing_item.image == 99).any()
    assert np.array_equal(panel.samples.item.image, before)


def test_later_snapshots_keep_the_users_psi_and_a_new_segment_takes_the_trainers(panel):
    panel.psi_slider.setValue(30)
    panel.show_snapshot(_snapshot(psi=1.0))
    assert panel.psi == 0.3
    panel.show_segment(None, None)
    panel.show_snapshot(_snapshot(psi=1.0, crossover=2))
    assert panel.psi == 1.0
    assert panel.crossover == 2


def test_the_window_routes_the_style_panel_key(qtbot):
    from ganlab.app.panels import PANELS

    panel = PANELS["style"]()
    qtbot.addWidget(panel)
    assert isinstance(panel, StylePanel)
