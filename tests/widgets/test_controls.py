"""ControlsPanel: programmatic updates are silent, each user edit emits one typed value,
the learning rate is a throttled two-way log binding, and the form follows the choices."""

from __future__ import annotations

import dataclasses
import time
import typing

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollBar,
    QSpinBox,
    QWidget,
)

from ganlab.kernel import config as cfg
from ganlab.widgets.controls import (
    LR_EMIT_INTERVAL_MS,
    REBUILD_MARK,
    ControlsPanel,
    lr_to_tick,
    tick_to_lr,
)

SOURCES = [
    ("gaussian1d", "Gaussian (1-D)", "toy1d"),
    ("ring8_teaching", "Ring of 8 gaussians (wide)", "toy2d"),
    ("two_moons", "Two moons", "toy2d"),
    ("shapes", "Shapes", "image"),
    ("mnist", "MNIST", "image"),
]
FAMILIES = [
    ("mlp", "MLP GAN", ("toy1d", "toy2d", "image")),
    ("dcgan", "DCGAN", ("image",)),
    ("cgan", "Conditional GAN", ("toy1d", "toy2d", "image")),
    ("acgan", "AC-GAN", ("toy1d", "toy2d", "image")),
]
LOSSES = [
    ("minimax", "Minimax (saturating)"),
    ("non_saturating", "Non-saturating"),
    ("least_squares", "Least squares"),
    ("hinge", "Hinge"),
    ("wgan_gp", "Wasserstein + gradient penalty"),
    ("wgan_clip", "Wasserstein + weight clipping"),
]
# As the window passes them (Loss.options, Loss.paper_settings): plain data.
_COMMON = [
    "instance_noise",
    "r1_gamma",
    "aux_weight",
    "l1_weight",
    "cycle_weight",
    "identity_weight",
]
LOSS_OPTIONS = {
    "minimax": [*_COMMON, "label_smoothing"],
    "non_saturating": [*_COMMON, "label_smoothing"],
    "least_squares": [*_COMMON, "label_smoothing"],
    "hinge": _COMMON,
    "wgan_gp": [*_COMMON, "gp_weight"],
    "wgan_clip": [*_COMMON, "clip_value"],
}
# What each family uses per data kind (ModelFamily.settings), as the window passes it.
FAMILY_SETTINGS = cfg.family_settings()
SCHEMA = cfg.settings_schema()
WGAN_CLIP_RECIPE = [
    ("optimizer_d.name", "rmsprop"),
    ("optimizer_d.lr", 5e-5),
    ("optimizer_d.momentum", 0.0),
    ("optimizer_g.name", "rmsprop"),
    ("optimizer_g.lr", 5e-5),
    ("loss.clip_value", 0.01),
    ("loop.k_d", 5),
    ("loop.batch_size", 64),
]
PAPERS = {"wgan_clip": ("Arjovsky et al. 2017", WGAN_CLIP_RECIPE)}
DEVICES = [("auto", "Automatic"), ("cpu", "CPU"), ("cuda", "NVIDIA GPU")]


def _flat_defaults() -> dict[str, object]:
    """The default ExperimentConfig as dotted keys, as the controller passes it."""
    flat: dict[str, object] = {}
    for section, table in cfg.to_dict(cfg.ExperimentConfig()).items():
        if isinstance(table, dict):
            flat.update({f"{section}.{key}": value for key, value in table.items()})
    return flat


@pytest.fixture
def panel(qtbot):
    widget = ControlsPanel(SCHEMA)
    qtbot.addWidget(widget)
    widget.set_choices(
        SOURCES,
        FAMILIES,
        LOSSES,
        DEVICES,
        loss_options=LOSS_OPTIONS,
        family_settings=FAMILY_SETTINGS,
        paper_settings=PAPERS,
    )
    widget.set_values(_flat_defaults())
    return widget


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
    widget.selectAll()
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def pick(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


# --------------------------------------------------------------------------- config agreement


def test_every_setting_is_a_config_field_of_the_same_type(panel):
    defaults = _flat_defaults()
    for key, value in panel.values().items():
        assert key in defaults, key
        assert type(value) is type(defaults[key]), key


def _field_metadata(key: str) -> typing.Mapping[str, object]:
    section, name = key.split(".")
    table = typing.get_type_hints(cfg.ExperimentConfig)[section]
    return {f.name: f.metadata for f in dataclasses.fields(table)}[name]


@pytest.mark.parametrize("key", [row["key"] for row in SCHEMA])
def test_every_editor_takes_the_range_its_config_field_accepts(panel, key):
    meta = _field_metadata(key)
    widget = editor(panel, key)
    lo, hi = meta["lo"], meta["hi"]
    if isinstance(widget, QComboBox):
        values = [widget.itemData(i) for i in range(widget.count())]
        values = [v for v in values if v is not None]  # group headers
        if meta["choices"] is not None:
            assert set(values) <= set(meta["choices"]), key
        elif lo is not None:
            assert all(lo <= v <= hi for v in values), key
    elif isinstance(widget, QSpinBox):
        assert (widget.minimum(), widget.maximum()) == (lo, min(hi, 2**31 - 1)), key
    elif isinstance(widget, QDoubleSpinBox):
        assert widget.maximum() == hi, key
        if meta["lo_open"]:
            assert lo < widget.minimum() <= lo + 10.0 ** -widget.decimals(), key
        else:
            assert widget.minimum() == lo, key
    elif isinstance(widget, QLineEdit):  # the seed: digits up to hi
        assert widget.validator().regularExpression().pattern() == rf"\d{{1,{len(str(hi))}}}"
    elif hasattr(widget, "spin"):  # a learning rate
        assert widget.spin.maximum() == hi, key
        assert lo < widget.spin.minimum() <= 1e-8, key
    else:
        assert isinstance(widget, QCheckBox), key


# --------------------------------------------------------------------------- setters


def test_set_values_shows_the_values(panel):
    values = {
        "data.source": "mnist",
        "model.family": "dcgan",
        "model.base_channels": 32,
        "loss.name": "wgan_gp",
        "loss.gp_weight": 5.0,
        "optimizer_d.lr": 3e-4,
        "optimizer_g.name": "rmsprop",
        "optimizer_g.momentum": 0.9,
        "loop.k_d": 5,
        "loop.seed": 2**40 + 7,
        "loop.latent_dist": "uniform",
        "model.spectral_norm_d": True,
    }
    panel.set_values(values)
    current = panel.values()
    assert {key: current[key] for key in values} == values


def test_set_values_does_not_emit(panel, emitted):
    panel.set_values(
        {
            "data.source": "two_moons",
            "model.g_hidden": 128,
            "loss.label_smoothing": 0.2,
            "optimizer_d.lr": 5e-3,
            "optimizer_g.name": "sgd",
            "loop.seed": 9,
            "model.spectral_norm_g": True,
        }
    )
    assert emitted == []


def test_set_values_ignores_unknown_keys(panel, emitted):
    before = panel.values()
    panel.set_values({"nonsense.key": 3, "loop.steps": 100})
    assert panel.values() == before


def test_set_choices_keeps_the_current_selection(panel):
    panel.set_values({"data.source": "two_moons", "loss.name": "hinge"})
    panel.set_choices(SOURCES, FAMILIES, LOSSES, DEVICES)
    assert (panel.values()["data.source"], panel.values()["loss.name"]) == ("two_moons", "hinge")


def test_source_group_headers_cannot_be_picked(panel):
    combo = editor(panel, "data.source")
    headers = [i for i in range(combo.count()) if combo.itemData(i) is None]
    assert [combo.itemText(i) for i in headers] == ["1-D", "2-D", "Images"]
    assert all(not combo.model().item(i).isEnabled() for i in headers)


# --------------------------------------------------------------------------- user edits


def _edit_int_spin(panel):
    type_and_enter(editor(panel, "loop.k_d"), "3")


def _edit_float_spin(panel):
    type_and_enter(editor(panel, "loss.label_smoothing"), "0.1")


def _edit_loss_combo(panel):
    pick(editor(panel, "loss.name"), "hinge")


def _edit_image_size_combo(panel):
    pick(editor(panel, "data.image_size"), 64)


def _edit_check_box(panel):
    editor(panel, "model.spectral_norm_d").click()


def _edit_seed(panel):
    type_and_enter(editor(panel, "loop.seed"), "42")


def _edit_lr_spin(panel):
    type_and_enter(editor(panel, "optimizer_d.lr").spin, "3e-4")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_edit_int_spin, ("loop.k_d", 3)),
        (_edit_float_spin, ("loss.label_smoothing", 0.1)),
        (_edit_loss_combo, ("loss.name", "hinge")),
        (_edit_image_size_combo, ("data.image_size", 64)),
        (_edit_check_box, ("model.spectral_norm_d", True)),
        (_edit_seed, ("loop.seed", 42)),
        (_edit_lr_spin, ("optimizer_d.lr", 3e-4)),
    ],
    ids=["int", "float", "str", "int-choice", "bool", "seed", "lr-typed"],
)
def test_a_user_edit_emits_one_typed_value(panel, emitted, edit, expected):
    edit(panel)
    assert emitted == [expected]
    assert type(emitted[0][1]) is type(expected[1])


def test_a_spin_box_does_not_emit_per_keystroke(panel, emitted):
    spin = editor(panel, "loop.batch_size")
    spin.selectAll()
    QTest.keyClicks(spin, "512")
    assert emitted == []


def test_leaving_the_seed_unchanged_does_not_emit(panel, emitted):
    seed = editor(panel, "loop.seed")
    seed.editingFinished.emit()  # focus leaving the field
    assert emitted == []


def test_load_points_button_requests_a_file(panel, qtbot):
    button = panel.findChild(QAbstractButton, "load_points")
    with qtbot.waitSignal(panel.load_points_requested, timeout=500):
        button.click()


# --------------------------------------------------------------------------- learning rate


def test_lr_slider_and_spin_box_agree_at_every_tick(panel):
    rate = editor(panel, "optimizer_g.lr")
    rate.slider.setSliderDown(True)
    for tick in range(rate.slider.minimum(), rate.slider.maximum() + 1):
        rate.slider.setValue(tick)
        assert lr_to_tick(rate.spin.value()) == tick
    rate.slider.setSliderDown(False)  # the release flushes the throttled value


def test_lr_spin_box_moves_the_slider(panel):
    rate = editor(panel, "optimizer_d.lr")
    type_and_enter(rate.spin, "2e-5")
    assert rate.slider.value() == lr_to_tick(2e-5)
    assert tick_to_lr(rate.slider.value()) == pytest.approx(2e-5, rel=0.02)


def test_lr_slider_is_a_log_scale_from_1e_6_to_1(panel):
    slider = editor(panel, "optimizer_d.lr").slider
    assert tick_to_lr(slider.minimum()) == 1e-6
    assert tick_to_lr(slider.maximum()) == 1.0
    assert tick_to_lr((slider.minimum() + slider.maximum()) // 2) == 1e-3


def test_dragging_the_lr_slider_emits_a_throttled_stream_ending_at_the_final_value(
    panel, emitted, qtbot
):
    slider = editor(panel, "optimizer_g.lr").slider
    final = ("optimizer_g.lr", tick_to_lr(300))
    start = time.monotonic()
    slider.setSliderDown(True)
    for tick in range(120, 301, 2):
        slider.setValue(tick)
        QApplication.processEvents()
    qtbot.waitUntil(lambda: bool(emitted) and emitted[-1] == final, timeout=1000)
    elapsed_ms = (time.monotonic() - start) * 1000
    assert 1 <= len(emitted) <= elapsed_ms / LR_EMIT_INTERVAL_MS + 1  # not 91
    assert {key for key, _ in emitted} == {"optimizer_g.lr"}
    slider.setSliderDown(False)


def test_releasing_the_lr_slider_emits_the_final_value_at_once(panel, emitted):
    slider = editor(panel, "optimizer_d.lr").slider
    slider.setSliderDown(True)
    for tick in range(100, 201, 5):
        slider.setValue(tick)
    slider.setSliderDown(False)
    assert emitted == [("optimizer_d.lr", tick_to_lr(200))]


# --------------------------------------------------------------------------- dependent rows


@pytest.mark.parametrize(
    ("source", "disabled"),
    [("ring8_teaching", {"dcgan"}), ("gaussian1d", {"dcgan"}), ("mnist", set())],
)
def test_families_that_cannot_train_on_the_source_are_disabled(panel, source, disabled):
    panel.set_values({"data.source": source})
    combo = editor(panel, "model.family")
    off = {combo.itemData(i) for i in range(combo.count()) if not combo.model().item(i).isEnabled()}
    assert off == disabled


def test_a_disabled_family_says_why(panel):
    panel.set_values({"data.source": "two_moons"})
    combo = editor(panel, "model.family")
    tip = combo.itemData(combo.findData("dcgan"), Qt.ItemDataRole.ToolTipRole)
    assert "2-D" in tip
    assert "image" in tip


@pytest.mark.parametrize(
    ("family", "source", "convolutional"),
    [
        ("mlp", "ring8_teaching", False),
        ("mlp", "mnist", False),
        ("dcgan", "mnist", True),
        ("cgan", "mnist", True),
        ("acgan", "shapes", True),
        ("cgan", "two_moons", False),
    ],
)
def test_width_settings_follow_the_family(panel, family, source, convolutional):
    panel.set_values({"data.source": source, "model.family": family})
    assert shown(panel, "model.base_channels") is convolutional
    for key in ("model.g_hidden", "model.d_hidden", "model.g_layers", "model.d_layers"):
        assert shown(panel, key) is not convolutional, key


def test_picking_a_family_updates_the_fields(panel):
    panel.set_values({"data.source": "mnist", "model.family": "mlp"})
    pick(editor(panel, "model.family"), "dcgan")
    assert shown(panel, "model.base_channels")
    assert not shown(panel, "model.g_hidden")


LOSS_KEYS = [f"loss.{name}" for name in ("label_smoothing", "gp_weight", "clip_value")]


@pytest.mark.parametrize(
    ("loss", "applies"),
    [
        ("minimax", {"loss.label_smoothing"}),
        ("non_saturating", {"loss.label_smoothing"}),
        ("least_squares", {"loss.label_smoothing"}),
        ("hinge", set()),
        ("wgan_gp", {"loss.gp_weight"}),
        ("wgan_clip", {"loss.clip_value"}),
    ],
)
def test_loss_settings_the_loss_ignores_are_disabled_with_the_reason(panel, loss, applies):
    panel.set_values({"loss.name": loss})
    for key in LOSS_KEYS:
        widget = editor(panel, key)
        label = widget.parentWidget().layout().labelForField(widget)
        assert shown(panel, key), key  # greyed out with a reason, not hidden
        assert widget.isEnabled() is (key in applies), key
        assert label.isEnabled() is (key in applies), key
        reason = panel.inapplicable_reason(key)
        if key in applies:
            assert reason == ""
            assert "no effect" not in widget.toolTip()
        else:
            assert reason in widget.toolTip()
            assert reason in label.toolTip()
            assert dict(LOSSES)[loss] in reason  # says which loss ignores it


def test_the_reason_names_the_losses_that_use_the_setting(panel):
    panel.set_values({"loss.name": "hinge"})
    reason = panel.inapplicable_reason("loss.label_smoothing")
    assert "Hinge" in reason
    for title in ("Minimax (saturating)", "Non-saturating", "Least squares"):
        assert title in reason
    assert "Wasserstein" not in reason


@pytest.mark.parametrize("loss", [name for name, _ in LOSSES])
def test_noise_and_r1_apply_to_every_loss(panel, loss):
    panel.set_values({"loss.name": loss})
    assert editor(panel, "loss.instance_noise").isEnabled()
    assert editor(panel, "loss.r1_gamma").isEnabled()


@pytest.mark.parametrize(
    ("family", "source", "applies"),
    [("acgan", "ring8_teaching", True), ("cgan", "ring8_teaching", False), ("mlp", "mnist", False)],
)
def test_the_class_loss_weight_follows_the_family(panel, family, source, applies):
    panel.set_values({"data.source": source, "model.family": family})
    assert editor(panel, "loss.aux_weight").isEnabled() is applies
    if not applies:
        assert "AC-GAN" in editor(panel, "loss.aux_weight").toolTip()


def test_picking_a_loss_in_the_window_updates_what_is_enabled(panel, emitted):
    pick(editor(panel, "loss.name"), "hinge")
    assert not editor(panel, "loss.label_smoothing").isEnabled()
    pick(editor(panel, "loss.name"), "wgan_clip")
    assert editor(panel, "loss.clip_value").isEnabled()
    assert emitted == [("loss.name", "hinge"), ("loss.name", "wgan_clip")]


def test_without_declared_options_every_loss_setting_stays_enabled(qtbot):
    bare = ControlsPanel(SCHEMA)
    qtbot.addWidget(bare)
    bare.set_choices(SOURCES, FAMILIES, LOSSES, DEVICES)
    bare.set_values({**_flat_defaults(), "loss.name": "hinge"})
    assert all(editor(bare, key).isEnabled() for key in LOSS_KEYS)


def test_the_paper_button_shows_only_for_a_loss_with_a_recipe(panel):
    button = editor(panel, "paper_settings")
    panel.set_values({"loss.name": "hinge"})
    assert not button.isVisibleTo(panel)
    panel.set_values({"loss.name": "wgan_clip"})
    assert button.isVisibleTo(panel)
    assert button.isEnabled()
    assert "Arjovsky" in button.toolTip()
    assert "5e-5" in button.toolTip()


def test_the_paper_button_applies_the_recipe_as_user_edits(panel, emitted, qtbot):
    panel.set_values({"loss.name": "wgan_clip"})  # defaults: Adam, lr 1e-3, k_d 1, batch 128
    button = editor(panel, "paper_settings")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    changed = dict(emitted)
    assert changed == {
        "optimizer_d.name": "rmsprop",
        "optimizer_d.lr": 5e-5,
        "optimizer_g.name": "rmsprop",
        "optimizer_g.lr": 5e-5,
        "loop.k_d": 5,
        "loop.batch_size": 64,
    }  # momentum 0 and clip 0.01 were already in place: not sent again
    assert len(emitted) == len(changed)
    values = panel.values()
    assert all(values[key] == value for key, value in WGAN_CLIP_RECIPE)
    assert not button.isEnabled()  # nothing left to change
    assert "in place" in button.toolTip()


@pytest.mark.parametrize(
    ("optimizer", "betas", "momentum"),
    [("adam", True, False), ("sgd", False, True), ("rmsprop", False, True)],
)
def test_optimizer_settings_follow_the_optimizer(panel, optimizer, betas, momentum):
    panel.set_values({"optimizer_g.name": optimizer})
    assert shown(panel, "optimizer_g.beta1") is betas
    assert shown(panel, "optimizer_g.beta2") is betas
    assert shown(panel, "optimizer_g.momentum") is momentum


def test_image_settings_show_only_for_image_sources(panel):
    panel.set_values({"data.source": "two_moons"})
    toy = (shown(panel, "data.image_size"), shown(panel, "data.sigma"))
    panel.set_values({"data.source": "mnist"})
    image = (shown(panel, "data.image_size"), shown(panel, "data.sigma"))
    assert (toy, image) == ((False, True), (True, False))


# --------------------------------------------------------------------------- labels and tips


def _label_text(panel: ControlsPanel, key: str) -> str:
    widget = editor(panel, key)
    if isinstance(widget, QCheckBox):
        return widget.text()
    form = widget.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(widget)
    assert isinstance(label, QLabel)
    return label.text()


@pytest.mark.parametrize(
    ("key", "rebuilds"),
    [
        ("data.source", True),
        ("model.g_hidden", True),
        ("model.spectral_norm_d", True),
        ("loop.latent_dim", True),
        ("loop.seed", True),
        ("loop.device", True),
        ("optimizer_d.lr", False),
        ("loss.name", False),
        ("loop.batch_size", False),
        ("loop.k_g", False),
    ],
)
def test_settings_that_rebuild_the_networks_are_marked(panel, key, rebuilds):
    assert (REBUILD_MARK in _label_text(panel, key)) is rebuilds
    tip = editor(panel, key).toolTip()
    assert ("rebuilds the networks" in tip) is rebuilds
    assert ("live" in tip) is not rebuilds


def _controls(root: QWidget) -> list[QWidget]:
    """Every widget a user edits or presses, without the parts Qt builds inside one."""
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QAbstractSlider, QLineEdit)
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds) or isinstance(widget, QScrollBar):
            continue
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parentWidget(), QAbstractSpinBox | QComboBox
        ):
            continue  # the text field inside a spin box or a combo box
        found.append(widget)
    return found


def test_every_control_has_a_tooltip(panel):
    controls = _controls(panel)
    assert len(controls) > 30
    missing = [f"{type(w).__name__} {w.objectName()!r}" for w in controls if not w.toolTip()]
    assert missing == []


def test_every_setting_has_its_own_editor(panel):
    editors = {w.objectName() for w in _controls(panel)}
    assert set(panel.values()) <= editors | {"optimizer_d.lr", "optimizer_g.lr"}
    assert isinstance(editor(panel, "loop.k_d"), QSpinBox)
    assert isinstance(editor(panel, "loss.r1_gamma"), QDoubleSpinBox)


def _wheel(widget: QWidget, notches: int) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_never_changes_a_picker_even_with_focus(panel, emitted, qtbot):
    """Issue 9: after a choice the loss picker kept the focus, and scrolling the panel
    switched the loss three times in a second."""
    panel.show()
    combo = editor(panel, "loss.name")
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = combo.currentIndex()
    _wheel(combo, 2)
    assert combo.currentIndex() == before
    assert emitted == []


def test_choosing_in_a_picker_gives_the_keyboard_back(panel, qtbot):
    panel.show()
    combo = editor(panel, "loss.name")
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    combo.activated.emit(1)
    assert not combo.hasFocus()


@pytest.mark.parametrize(
    ("family", "source", "applies"),
    [
        ("pix2pix", "shapes_edges", False),
        ("cyclegan", "shapes_unpaired", False),
        ("stylegan", "shapes", True),
        ("mlp", "ring8", True),
    ],
)
def test_the_latent_settings_follow_whether_the_family_has_a_z(panel, family, source, applies):
    panel.set_values({"data.source": source, "model.family": family})
    for key in cfg.LATENT_SETTINGS:
        assert editor(panel, key).isEnabled() is applies, key
