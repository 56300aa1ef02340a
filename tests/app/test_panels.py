"""The routing table from a run to its window panel (ganlab.app.panels)."""

from __future__ import annotations

import pytest

from ganlab.app.panels import PANELS, build_panels
from ganlab.kernel.registry import DATA_SOURCES, MODEL_FAMILIES

PROTOCOL = ("clear", "show_segment", "show_real", "show_snapshot", "show_answer", "set_output_kind")


@pytest.mark.parametrize("key", list(PANELS))
def test_every_panel_of_the_table_speaks_the_data_panel_protocol(qtbot, key):
    panel = PANELS[key]()
    qtbot.addWidget(panel)
    for method in PROTOCOL:
        assert callable(getattr(panel, method, None)), f"{key} panel lacks {method}"
    requested = getattr(panel, "panel_requested", None)
    if requested is not None:  # a Qt signal the window connects to
        assert hasattr(requested, "connect")


@pytest.mark.parametrize("name", MODEL_FAMILIES.names())
def test_every_family_on_every_kind_it_trains_on_has_a_panel(name):
    family = MODEL_FAMILIES.get(name)
    for kind in family.data_kinds:
        assert (family.panel or kind) in PANELS, (name, kind)


@pytest.mark.parametrize("name", DATA_SOURCES.names())
def test_every_data_source_kind_has_a_panel(name):
    assert DATA_SOURCES.get(name).kind in PANELS


def test_the_window_builds_one_panel_per_entry(qtbot):
    panels = build_panels()
    for panel in panels.values():
        qtbot.addWidget(panel)
    assert list(panels) == list(PANELS)
    assert len({id(p) for p in panels.values()}) == len(PANELS)
