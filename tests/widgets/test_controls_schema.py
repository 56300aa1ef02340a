"""ControlsPanel built from the settings schema: its rows are the schema's keys, a new field
needs no widget code, a lesson hides and locks rows by key, and the rebuild set is one."""

from __future__ import annotations

import dataclasses
import gettext
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ganlab.engine import trainer
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from ganlab.widgets.controls import REBUILD_MARK, ControlsPanel

SCHEMA = cfg.settings_schema()
SOURCES = [("ring8", "Ring of 8", "toy2d"), ("mnist", "MNIST", "image")]
FAMILIES = [("mlp", "MLP GAN", ("toy1d", "toy2d", "image")), ("dcgan", "DCGAN", ("image",))]
LOSSES = [("non_saturating", "Non-saturating"), ("hinge", "Hinge")]
DEVICES = [("auto", "Automatic"), ("cpu", "CPU")]
LOSS_OPTIONS = {"non_saturating": ["label_smoothing", "r1_gamma"], "hinge": ["r1_gamma"]}


def _defaults() -> dict[str, object]:
    return {row["key"]: row["default"] for row in SCHEMA}


def _build(qtbot, schema=SCHEMA) -> ControlsPanel:
    panel = ControlsPanel(schema)
    qtbot.addWidget(panel)
    panel.set_choices(SOURCES, FAMILIES, LOSSES, DEVICES, loss_options=LOSS_OPTIONS)
    panel.set_values(_defaults())
    return panel


@pytest.fixture
def panel(qtbot):
    return _build(qtbot)


@pytest.fixture
def emitted(panel):
    got: list[tuple[str, object]] = []
    panel.setting_changed.connect(lambda key, value: got.append((key, value)))
    return got


def editor(panel: ControlsPanel, key: str) -> QWidget:
    widget = panel.findChild(QWidget, key)
    assert widget is not None, key
    return widget


def shown(panel: ControlsPanel, key: str) -> bool:
    return editor(panel, key).isVisibleTo(panel)


def type_and_enter(widget: QWidget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


# --------------------------------------------------------------------------- the schema


def test_the_schema_is_plain_json_data():
    assert json.loads(json.dumps(SCHEMA)) == SCHEMA


def test_every_schema_entry_names_a_config_field_with_a_label_and_a_help_text():
    defaults = cfg.to_dict(cfg.ExperimentConfig())
    kinds = {"int", "float", "lr", "bool", "choice", "text", "seed", "path", "device"}
    for row in SCHEMA:
        section, name = row["key"].split(".")
        assert row["default"] == defaults[section][name], row["key"]
        assert row["kind"] in kinds, row["key"]
        assert row["label"], row["key"]
        assert row["help"], row["key"]


def test_the_panel_rows_are_exactly_the_schema_keys(panel):
    assert panel.keys() == [row["key"] for row in SCHEMA]
    assert set(panel.values()) == set(panel.keys())


def test_a_field_added_to_the_schema_appears_with_no_widget_code(qtbot):
    extra = [
        {"key": "loop.new_count", "section": "loop", "kind": "int", "lo": 2, "hi": 9,
         "label": "New count", "help": "A count added later.", "rebuilds": True},
        {"key": "loss.new_weight", "section": "loss", "kind": "float", "lo": 0.0, "hi": 1.0,
         "step": 0.25, "decimals": 2, "label": "New weight", "help": "A weight."},
        {"key": "model.new_flag", "section": "model", "kind": "bool",
         "label": "New flag", "help": "A switch."},
        {"key": "model.new_pick", "section": "model", "kind": "choice",
         "choices": ["a", "b"], "label": "New pick", "help": "A choice."},
        {"key": "data.new_path", "section": "data", "kind": "path",
         "label": "New file", "help": "A file."},
        {"key": "extra.thing", "section": "extra", "kind": "int", "lo": 0, "hi": 5,
         "label": "Thing", "help": "In a section of its own."},
    ]  # fmt: skip
    panel = _build(qtbot, [*SCHEMA, *extra])
    got: list[tuple[str, object]] = []
    panel.setting_changed.connect(lambda key, value: got.append((key, value)))
    assert panel.keys()[-len(extra) :] == [row["key"] for row in extra]
    count = editor(panel, "loop.new_count")
    assert isinstance(count, QSpinBox)
    assert (count.minimum(), count.maximum()) == (2, 9)
    assert panel.label_for("loop.new_count") == "New count"
    assert REBUILD_MARK in count.parentWidget().layout().labelForField(count).text()
    assert "A count added later." in count.toolTip()
    weight = editor(panel, "loss.new_weight")
    assert isinstance(weight, QDoubleSpinBox)
    assert (weight.singleStep(), weight.decimals()) == (0.25, 2)
    assert isinstance(editor(panel, "model.new_flag"), QCheckBox)
    pick = editor(panel, "model.new_pick")
    assert isinstance(pick, QComboBox)
    assert [pick.itemData(i) for i in range(pick.count())] == ["a", "b"]
    assert shown(panel, "extra.thing")

    type_and_enter(count, "7")
    editor(panel, "model.new_flag").click()
    pick.setCurrentIndex(1)
    type_and_enter(editor(panel, "data.new_path"), "/tmp/x.csv")
    assert got == [
        ("loop.new_count", 7),
        ("model.new_flag", True),
        ("model.new_pick", "b"),
        ("data.new_path", "/tmp/x.csv"),
    ]


def test_labels_and_help_are_translated_with_the_engine_catalogue(qtbot, monkeypatch):
    class Spanish(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return {
                "Learning rate": "Tasa de aprendizaje",
                "How big a step {net} takes at each update. Drag (log scale) or type a "
                "number.": "Tamaño del paso que da {net} en cada actualización.",
            }.get(message, message)

    monkeypatch.setattr(i18n, "_translation", Spanish())
    panel = ControlsPanel(SCHEMA)
    qtbot.addWidget(panel)
    rate = editor(panel, "optimizer_g.lr")
    label = rate.parentWidget().layout().labelForField(rate)
    assert label.text() == "Tasa de aprendizaje"
    assert rate.toolTip().startswith("Tamaño del paso que da G en cada actualización.")


# --------------------------------------------------------------------------- capabilities


def test_what_a_family_declares_decides_which_widths_show(qtbot):
    panel = ControlsPanel(SCHEMA)
    qtbot.addWidget(panel)
    panel.set_choices(
        SOURCES,
        FAMILIES,
        LOSSES,
        DEVICES,
        family_settings={
            "mlp": {"toy2d": ["model.g_hidden"], "image": ["model.g_hidden"]},
            "dcgan": {"image": ["model.base_channels"]},
        },
    )
    panel.set_values({**_defaults(), "data.source": "mnist", "model.family": "mlp"})
    assert (shown(panel, "model.g_hidden"), shown(panel, "model.base_channels")) == (True, False)
    panel.set_values({"model.family": "dcgan"})
    assert (shown(panel, "model.g_hidden"), shown(panel, "model.base_channels")) == (False, True)
    # A key no family declares is nobody's to hide.
    assert shown(panel, "model.embed_dim")


def test_a_setting_a_loss_does_not_declare_is_greyed_with_the_reason(panel):
    panel.set_values({"loss.name": "hinge"})
    smoothing = editor(panel, "loss.label_smoothing")
    assert smoothing.isVisibleTo(panel)
    assert not smoothing.isEnabled()
    assert "Hinge" in smoothing.toolTip()
    assert "Non-saturating" in smoothing.toolTip()


# --------------------------------------------------------------------------- hidden keys


def test_hidden_keys_hide_their_rows_and_an_emptied_section(panel):
    loss_keys = [row["key"] for row in SCHEMA if row["section"] == "loss"]
    panel.set_hidden_keys(["optimizer_d.lr", "loop.seed", *loss_keys, "no.such_key"])
    assert not shown(panel, "optimizer_d.lr")
    assert not shown(panel, "loop.seed")
    assert shown(panel, "optimizer_g.lr")
    loss_box = editor(panel, "loss.name").parentWidget().parentWidget()
    assert isinstance(loss_box, QGroupBox)
    assert not loss_box.isVisibleTo(panel)
    assert not panel.findChild(QAbstractButton, "paper_settings").isVisibleTo(panel)
    panel.set_hidden_keys([])
    assert shown(panel, "optimizer_d.lr")
    assert shown(panel, "loop.seed")
    assert loss_box.isVisibleTo(panel)


def test_a_hidden_key_stays_hidden_when_the_choices_change(panel):
    panel.set_hidden_keys(["model.g_hidden"])
    panel.set_values({"data.source": "mnist"})
    assert not shown(panel, "model.g_hidden")


# --------------------------------------------------------------------------- the lock


def test_the_lock_makes_other_settings_read_only_and_silent(panel, emitted, qtbot):
    panel.show()
    panel.set_lock(["optimizer_g.lr", "loop.k_d"])
    batch = editor(panel, "loop.batch_size")
    seed = editor(panel, "loop.seed")
    assert batch.isVisibleTo(panel)
    assert not batch.isEnabled()
    assert not seed.isEnabled()
    assert "locked" in batch.toolTip()
    type_and_enter(batch, "512")
    type_and_enter(seed, "99")
    QTest.keyClick(editor(panel, "loss.name"), Qt.Key.Key_Down)
    qtbot.mouseClick(editor(panel, "model.spectral_norm_d"), Qt.MouseButton.LeftButton)
    assert emitted == []
    assert panel.values()["loop.batch_size"] == 128
    assert not panel.findChild(QAbstractButton, "load_points").isEnabled()


def test_allowed_settings_still_emit_under_the_lock(panel, emitted):
    panel.set_lock(["optimizer_g.lr", "loop.k_d"])
    assert editor(panel, "loop.k_d").isEnabled()
    assert "locked" not in editor(panel, "loop.k_d").toolTip()
    type_and_enter(editor(panel, "loop.k_d"), "3")
    type_and_enter(editor(panel, "optimizer_g.lr").spin, "5e-4")
    assert emitted == [("loop.k_d", 3), ("optimizer_g.lr", 5e-4)]


def test_unlocking_restores_every_editor_but_the_inapplicable_ones(panel, emitted):
    panel.set_values({"loss.name": "hinge"})
    panel.set_lock([])
    assert not editor(panel, "loss.r1_gamma").isEnabled()
    panel.set_lock(None)
    assert editor(panel, "loss.r1_gamma").isEnabled()
    assert editor(panel, "loop.batch_size").isEnabled()
    assert not editor(panel, "loss.label_smoothing").isEnabled()  # hinge ignores it
    assert "locked" not in editor(panel, "loop.batch_size").toolTip()
    type_and_enter(editor(panel, "loop.batch_size"), "64")
    assert emitted == [("loop.batch_size", 64)]


def test_the_paper_button_is_locked_while_its_settings_are(qtbot):
    panel = _build(qtbot)
    panel.set_choices(
        SOURCES,
        FAMILIES,
        LOSSES,
        DEVICES,
        paper_settings={"hinge": ("Lim and Ye 2017", [("loop.k_d", 5)])},
    )
    panel.set_values({"loss.name": "hinge"})
    button = panel.findChild(QAbstractButton, "paper_settings")
    assert button.isEnabled()
    panel.set_lock(["loss.name"])
    assert not button.isEnabled()
    panel.set_lock(["loss.name", "loop.k_d"])
    assert button.isEnabled()


# --------------------------------------------------------------------------- rebuilds


def test_the_trainer_rebuilds_for_exactly_the_keys_the_schema_marks():
    rebuild = cfg.rebuild_keys()
    assert set(trainer._REBUILD_KEYS) == rebuild
    for row in SCHEMA:
        assert row["rebuilds"] is (row["key"] in rebuild), row["key"]
    # Every data and model field, and the loop's latent, seed, device and threads.
    every = {
        f"{section}.{f.name}"
        for section in ("data", "model")
        for f in dataclasses.fields(getattr(cfg.ExperimentConfig(), section))
    }
    loop = {"loop.latent_dim", "loop.latent_dist", "loop.seed", "loop.device", "loop.threads"}
    assert rebuild == every | loop


def test_the_panel_marks_the_rebuild_keys(panel):
    for row in SCHEMA:
        widget = editor(panel, row["key"])
        if isinstance(widget, QCheckBox):
            text = widget.text()
        else:
            label = widget.parentWidget().layout().labelForField(widget)
            assert isinstance(label, QLabel)
            text = label.text()
        assert (REBUILD_MARK in text) is row["rebuilds"], row["key"]


def test_the_seed_field_clamps_to_the_schema_maximum(panel, emitted):
    seed = editor(panel, "loop.seed")
    assert isinstance(seed, QLineEdit)
    type_and_enter(seed, "9999999999999999999")
    assert emitted == [("loop.seed", 2**63 - 1)]
