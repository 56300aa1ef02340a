"""The experiment settings panel: data, model, loss, both optimizers and the training loop.

Owns the widgets that edit an experiment's settings and nothing else: the controller
hands it plain data (the registered choices, a flattened config) and hears back one
``setting_changed(key, value)`` per user edit. Programmatic updates never emit.
GUI thread; no torch.

Ranges are copied from the field metadata of ``ganlab.core.config`` (the panel must not
import it: the config module reaches the registries, which import torch).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator, QStandardItemModel, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style

# --------------------------------------------------------------------------- ranges
# Copied from ganlab.core.config (field metadata); keep the two in step.

INT_RANGES: dict[str, tuple[int, int]] = {
    "model.g_hidden": (1, 8192),
    "model.d_hidden": (1, 8192),
    "model.g_layers": (0, 16),
    "model.d_layers": (0, 16),
    "model.base_channels": (4, 1024),
    "loop.k_d": (0, 100),
    "loop.k_g": (0, 100),
    "loop.batch_size": (1, 65536),
    "loop.latent_dim": (1, 4096),
}
# key -> (minimum, maximum, arrow step, decimals). A range open at 0 starts one step of
# the last decimal above it.
FLOAT_RANGES: dict[str, tuple[float, float, float, int]] = {
    "data.sigma": (0.0, 10.0, 0.01, 3),
    "loss.label_smoothing": (0.0, 0.5, 0.05, 2),
    "loss.instance_noise": (0.0, 10.0, 0.05, 3),
    "loss.r1_gamma": (0.0, 1e4, 1.0, 2),
    "loss.gp_weight": (0.0, 1e4, 1.0, 2),
    "loss.clip_value": (1e-4, 10.0, 0.005, 4),
    "loss.aux_weight": (0.0, 100.0, 0.1, 2),
    "optimizer_d.beta1": (0.0, 0.9999, 0.05, 4),
    "optimizer_g.beta1": (0.0, 0.9999, 0.05, 4),
    "optimizer_d.beta2": (0.0, 0.99999, 0.001, 5),
    "optimizer_g.beta2": (0.0, 0.99999, 0.001, 5),
    "optimizer_d.momentum": (0.0, 0.9999, 0.05, 4),
    "optimizer_g.momentum": (0.0, 0.9999, 0.05, 4),
}
SEED_MAX = 2**63 - 1
IMAGE_SIZES = (28, 32, 64)
OPTIMIZERS = ("sgd", "adam", "rmsprop")
LATENT_DISTS = ("gaussian", "uniform")

# Learning rate: the spin box takes config's whole range (0, 10]; the slider spans the
# useful part, 1e-6 .. 1, on a log scale.
LR_MIN, LR_MAX = 1e-8, 10.0
LR_SLIDER_MIN_EXP, LR_SLIDER_MAX_EXP = -6, 0
LR_TICKS_PER_DECADE = 60
LR_EMIT_INTERVAL_MS = 50  # at most 20 live learning-rate changes per second while dragging

# Settings that rebuild G and D with new weights; everything else applies live.
_REBUILD_PREFIXES = ("data.", "model.")
_REBUILD_KEYS = frozenset({"loop.latent_dim", "loop.latent_dist", "loop.seed", "loop.device"})
REBUILD_MARK = "↻"

# Which families use which width settings. DCGAN is convolutional; the conditional
# families are convolutional on images and MLPs on toy data.
_CONV_FAMILIES = frozenset({"dcgan"})
_CONV_ON_IMAGES_FAMILIES = frozenset({"cgan", "acgan"})
_MLP_KEYS = ("model.g_hidden", "model.g_layers", "model.d_hidden", "model.d_layers")
_KIND_ORDER = ("toy1d", "toy2d", "image")
# The loss settings (LossConfig fields) whose use depends on the loss; set_choices says
# which loss uses which. aux_weight also needs a family with an auxiliary classifier.
LOSS_OPTION_KEYS = (
    "loss.label_smoothing",
    "loss.instance_noise",
    "loss.r1_gamma",
    "loss.gp_weight",
    "loss.clip_value",
    "loss.aux_weight",
)


def rebuilds_networks(key: str) -> bool:
    """Whether changing setting ``key`` rebuilds the networks (new weights)."""
    return key.startswith(_REBUILD_PREFIXES) or key in _REBUILD_KEYS


def lr_to_tick(lr: float) -> int:
    """The log-scale slider position closest to learning rate ``lr`` (clamped)."""
    lo = LR_SLIDER_MIN_EXP * LR_TICKS_PER_DECADE
    hi = LR_SLIDER_MAX_EXP * LR_TICKS_PER_DECADE
    tick = round(math.log10(max(lr, 1e-300)) * LR_TICKS_PER_DECADE)
    return min(max(tick, lo), hi) - lo


def tick_to_lr(tick: int) -> float:
    """The learning rate at slider position ``tick``, rounded to 3 significant digits."""
    exponent = LR_SLIDER_MIN_EXP + tick / LR_TICKS_PER_DECADE
    return float(f"{10.0**exponent:.3g}")


def _shown(value: object) -> str:
    """A recipe value as the panel shows it: learning-rate style for small floats."""
    if isinstance(value, float):
        return format_lr(value) if value < 0.1 else f"{value:g}"
    return str(value)


def format_lr(lr: float) -> str:
    """A learning rate as people write it: ``0.5``, ``1e-3``, ``2.5e-4``."""
    if lr >= 0.1 or lr <= 0.0:
        return f"{lr:.3g}"
    mantissa, exponent = f"{lr:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


# --------------------------------------------------------------------------- editors


class _WheelWhenFocused:
    """Scrolling the panel must not change a value the pointer happens to pass over."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event):  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the scroll area scrolls instead


class _SpinBox(_WheelWhenFocused, QSpinBox):
    pass


class _DoubleSpinBox(_WheelWhenFocused, QDoubleSpinBox):
    pass


class _ComboBox(QComboBox):
    """A picker that never changes under the wheel: after a choice it keeps the focus,
    and wheeling through the panel then switched the loss three times in a second."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A choice made, the keyboard goes back to the lab (Space plays, arrows step).
        self.activated.connect(self._on_activated)

    def wheelEvent(self, event):  # noqa: N802 - Qt override
        event.ignore()  # the scroll area scrolls instead

    def _on_activated(self, _index: int) -> None:
        self.clearFocus()


class _Slider(_WheelWhenFocused, QSlider):
    pass


class _SciSpinBox(_WheelWhenFocused, QDoubleSpinBox):
    """A spin box for a learning rate: shows ``2e-4``, reads any float, steps by x1.26."""

    _PARTIAL = re.compile(r"^[0-9.eE+-]*$")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(12)  # QDoubleSpinBox rounds values to this many decimals
        self.setRange(LR_MIN, LR_MAX)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return format_lr(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        try:
            value = float(text.strip())
        except ValueError:
            ok = self._PARTIAL.match(text.strip())
            state = QValidator.State.Intermediate if ok else QValidator.State.Invalid
            return state, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        # Ten arrow steps per decade: a learning rate is adjusted by factors, not sums.
        value = self.value() * 10.0 ** (steps / 10)
        self.setValue(float(f"{min(max(value, self.minimum()), self.maximum()):.3g}"))

    def sizeHint(self):  # noqa: N802 - Qt override
        # Qt sizes a spin box for its minimum and maximum texts, not for "8.88e-8".
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        widest = metrics.horizontalAdvance("8.88e-88")
        shortest = metrics.horizontalAdvance(self.textFromValue(self.maximum()))
        hint.setWidth(hint.width() + max(0, widest - shortest))
        return hint

    def minimumSizeHint(self):  # noqa: N802 - Qt override
        return self.sizeHint()


class _LogRateEdit(QWidget):
    """A learning rate as a log-scale slider and a spin box kept in step both ways.

    Dragging emits ``value_edited`` at most every ``LR_EMIT_INTERVAL_MS`` and always
    ends with the final value; a typed value or an arrow step emits at once.
    """

    value_edited = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = _Slider(Qt.Orientation.Horizontal)
        decades = LR_SLIDER_MAX_EXP - LR_SLIDER_MIN_EXP
        self.slider.setRange(0, decades * LR_TICKS_PER_DECADE)
        self.slider.setPageStep(LR_TICKS_PER_DECADE)  # one decade
        self.slider.setTickInterval(LR_TICKS_PER_DECADE)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setMinimumWidth(90)
        self.spin = _SciSpinBox()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)

        self._pending: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LR_EMIT_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.slider.sliderReleased.connect(self._flush)
        self.spin.valueChanged.connect(self._on_spin_value_changed)

    def set_value(self, lr: float) -> None:
        """Show ``lr`` on both controls without emitting."""
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            self.spin.setValue(float(lr))
            self.slider.setValue(lr_to_tick(float(lr)))

    def value(self) -> float:
        """The learning rate shown."""
        return float(self.spin.value())

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.spin.setToolTip(text)

    def _on_slider_value_changed(self, tick: int) -> None:
        lr = tick_to_lr(tick)
        with QSignalBlocker(self.spin):
            self.spin.setValue(lr)
        self._pending = lr
        if not self._timer.isActive():
            self._timer.start()

    def _on_spin_value_changed(self, lr: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(lr_to_tick(lr))
        self._timer.stop()
        self._pending = None
        self.value_edited.emit(float(lr))

    def _flush(self) -> None:
        self._timer.stop()
        if self._pending is not None:
            lr, self._pending = self._pending, None
            self.value_edited.emit(lr)


class _Section(QGroupBox):
    """A box of settings under a title that folds it away (a disclosure arrow)."""

    def __init__(self, title: str, tooltip: str, color: str | None = None) -> None:
        super().__init__()
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setToolTip(tooltip)
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # No button frame: the checked state would draw the title as a pressed button.
        title_color = f"color: {color};" if color else ""
        self.toggle.setStyleSheet(f"QToolButton {{ border: none; {title_color} }}")
        self.toggle.setFont(style.font(1.05, bold=True))
        self.color = color  # the panel draws the border: see ControlsPanel._style_sections
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(4, 0, 0, 0)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._on_toggle_toggled)

    def _on_toggle_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)


# --------------------------------------------------------------------------- the panel


class ControlsPanel(QWidget):
    """Every experiment setting, in folding sections, scrollable for a dock.

    Emits ``setting_changed(key, value)`` once per user edit, with the dotted config key
    (``"optimizer_d.lr"``) and a value of the config field's type. Learning rates apply
    while dragging (throttled); other numbers when editing finishes; choices at once.
    """

    setting_changed = Signal(str, object)
    load_points_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(style.font())
        self._getters: dict[str, Callable[[], object]] = {}
        self._setters: dict[str, Callable[[object], None]] = {}
        self._editors: dict[str, QWidget] = {}
        self._labels: dict[str, str] = {}  # dotted key -> its row's label
        self._forms: dict[str, QFormLayout] = {}
        self._source_kinds: dict[str, str] = {}
        self._families: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._loss_titles: dict[str, str] = {}
        self._loss_options: dict[str, frozenset[str]] | None = None  # None: all apply
        self._aux_families: frozenset[str] | None = None  # None: aux_weight always applies
        self._paper_settings: dict[str, tuple[str, list[tuple[str, object]]]] = {}
        self._base_tips: dict[str, str] = {}  # dotted key -> tooltip without a reason

        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 4, 4, 4)
        column.setSpacing(6)
        legend = QLabel(
            self.tr(
                "{0} rebuilds the networks with new weights; other settings apply live."
            ).format(REBUILD_MARK)
        )
        legend.setWordWrap(True)
        legend.setFont(style.font(0.9))
        legend.setObjectName("legend")  # greyed by _style_sections
        column.addWidget(legend)
        sections = (
            self._build_data_section(),
            self._build_model_section(),
            self._build_loss_section(),
            self._build_optimizer_section("d"),
            self._build_optimizer_section("g"),
            self._build_loop_section(),
        )
        for section in sections:
            column.addWidget(section)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._style_sections(sections)
        self._align_labels(sections)
        self._update_dependent_rows()
        self._finish_edits_like_a_desktop_app()

    # ----------------------------------------------------------------- public API

    def set_choices(
        self,
        sources: list[tuple[str, str, str]],
        families: list[tuple[str, str, tuple[str, ...]]],
        losses: list[tuple[str, str]],
        devices: list[tuple[str, str]],
        *,
        loss_options: Mapping[str, Iterable[str]] | None = None,
        auxiliary_families: Iterable[str] | None = None,
        paper_settings: Mapping[str, tuple[str, Sequence[tuple[str, object]]]] | None = None,
    ) -> None:
        """Fill the pickers with what is registered. Keeps the current selections.

        Parameters
        ----------
        sources
            ``(name, title, kind)`` per data source; kind is ``"toy1d"``, ``"toy2d"``
            or ``"image"``.
        families
            ``(name, title, data kinds it trains on)`` per model family.
        losses
            ``(name, title)`` per loss.
        devices
            ``(value, label)`` per device, e.g. ``("cuda", "NVIDIA GPU")``.
        loss_options
            Loss name -> the loss settings it uses (LossConfig field names, e.g.
            ``"label_smoothing"``; ``Loss.options``). The others are disabled while that
            loss is chosen, with a tooltip saying which losses use them. None: all apply.
        auxiliary_families
            The model families with an auxiliary classifier, the only ones
            ``loss.aux_weight`` applies to. None: it always applies.
        paper_settings
            Loss name -> (citation, [(dotted key, value), ...]): the recipe of the paper
            that introduced the loss (``Loss.paper_settings``), offered by a button.
        """
        current = self.values()
        self._source_kinds = {name: kind for name, _title, kind in sources}
        self._families = {name: (title, tuple(kinds)) for name, title, kinds in families}
        self._loss_titles = dict(losses)
        if loss_options is not None:
            self._loss_options = {name: frozenset(keys) for name, keys in loss_options.items()}
        if auxiliary_families is not None:
            self._aux_families = frozenset(auxiliary_families)
        if paper_settings is not None:
            self._paper_settings = {
                name: (paper, list(pairs)) for name, (paper, pairs) in paper_settings.items()
            }
        self._fill_sources(sources)
        self._fill_combo("model.family", [(name, title) for name, title, _ in families])
        self._fill_combo("loss.name", losses)
        self._fill_combo("loop.device", devices)
        for key in ("data.source", "model.family", "loss.name", "loop.device"):
            if current[key] is not None:
                self._set_editor(key, current[key])
        self._update_dependent_rows()

    def set_values(self, values: dict[str, object]) -> None:
        """Show ``values`` (dotted key -> value) without emitting; unknown keys are ignored."""
        for key, value in values.items():
            if key in self._setters:
                self._set_editor(key, value)
        self._update_dependent_rows()

    def values(self) -> dict[str, object]:
        """The values shown, by dotted key (None for a picker that has no choices yet)."""
        return {key: get() for key, get in self._getters.items()}

    def label_for(self, key: str) -> str:
        """The name a person reads for a dotted key, as on its row: ``"D: Learning rate"``
        for ``"optimizer_d.lr"``. An unknown key comes back unchanged."""
        label = self._labels.get(key)
        if label is None:
            return key
        if key.startswith("optimizer_d."):
            return self.tr("D: {setting}").format(setting=label)
        if key.startswith("optimizer_g."):
            return self.tr("G: {setting}").format(setting=label)
        return label

    # ----------------------------------------------------------------- keyboard

    def _finish_edits_like_a_desktop_app(self) -> None:
        """Enter commits a typed value and leaves the field; Escape puts the shown value
        back and leaves it. Either way the keyboard is the lab's again: Space plays and
        the arrows step, instead of typing into the field that was last edited."""
        for edit in self.findChildren(QAbstractSpinBox) + self.findChildren(QLineEdit):
            if isinstance(edit, QLineEdit) and isinstance(edit.parent(), QAbstractSpinBox):
                continue  # the spin box's own line edit: the spin box handles it
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(
            watched, QAbstractSpinBox | QLineEdit
        ):
            return super().eventFilter(watched, event)
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            watched.event(event)  # commit first: editingFinished, value changed
            watched.clearFocus()
            return True
        if key == Qt.Key.Key_Escape:
            if isinstance(watched, QAbstractSpinBox):
                line = watched.lineEdit()
                if isinstance(watched, QSpinBox | QDoubleSpinBox):
                    line.setText(watched.textFromValue(watched.value()))
            elif watched.objectName() == "loop.seed":
                watched.setText(str(self._seed_shown))
            watched.clearFocus()
            return True
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- sections

    def _build_data_section(self) -> _Section:
        section = _Section(self.tr("Data"), self.tr("Show or hide the data settings."))
        form = section.form
        source = _ComboBox()
        source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        source.setMinimumContentsLength(12)
        self._add_combo(
            form,
            "data.source",
            self.tr("Data set"),
            source,
            self.tr("The distribution G learns to imitate: 1-D and 2-D toy data or images."),
        )
        load = QPushButton(self.tr("Load points from CSV…"))
        load.setObjectName("load_points")
        load.setToolTip(
            self.tr(
                "Train on your own 2-D points: choose a CSV file with one x, y pair per row. "
                "This rebuilds the networks with new weights."
            )
        )
        load.clicked.connect(self.load_points_requested)
        form.addRow(load)
        self._add_float(
            form,
            "data.sigma",
            self.tr("Noise σ"),
            self.tr(
                "How spread out each cluster of the toy data is (standard deviation); "
                "0 uses the data set's own value."
            ),
            special=self.tr("default"),
        )
        size = _ComboBox()
        for side in IMAGE_SIZES:
            size.addItem(self.tr("{0} × {0} px").format(side), side)
        self._add_combo(
            form,
            "data.image_size",
            self.tr("Image size"),
            size,
            self.tr("Side of the square images, in pixels."),
        )
        channels = _ComboBox()
        channels.addItem(self.tr("1 (grayscale)"), 1)
        channels.addItem(self.tr("3 (RGB colour)"), 3)
        self._add_combo(
            form,
            "data.channels",
            self.tr("Channels"),
            channels,
            self.tr("Grayscale or colour images."),
        )
        return section

    def _build_model_section(self) -> _Section:
        section = _Section(self.tr("Model"), self.tr("Show or hide the network settings."))
        form = section.form
        self._add_combo(
            form,
            "model.family",
            self.tr("Architecture"),
            _ComboBox(),
            self.tr("The kind of networks G and D are: MLP for toy data, DCGAN for images, ..."),
        )
        tips = {
            "model.g_hidden": (self.tr("G width"), self.tr("Neurons in each hidden layer of G.")),
            "model.g_layers": (self.tr("G depth"), self.tr("Number of hidden layers in G.")),
            "model.d_hidden": (self.tr("D width"), self.tr("Neurons in each hidden layer of D.")),
            "model.d_layers": (self.tr("D depth"), self.tr("Number of hidden layers in D.")),
            "model.base_channels": (
                self.tr("Feature maps"),
                self.tr("Feature maps in the widest convolution layer of G and D."),
            ),
        }
        for key, (label, tip) in tips.items():
            self._add_int(form, key, label, tip)
        self._add_check(
            form,
            "model.spectral_norm_d",
            self.tr("Spectral norm on D"),
            self.tr("Limit how steeply D's output can change (spectral normalisation)."),
        )
        self._add_check(
            form,
            "model.spectral_norm_g",
            self.tr("Spectral norm on G"),
            self.tr("Apply spectral normalisation to G's layers too."),
        )
        return section

    def _build_loss_section(self) -> _Section:
        section = _Section(self.tr("Loss"), self.tr("Show or hide the loss settings."))
        form = section.form
        self._add_combo(
            form,
            "loss.name",
            self.tr("Loss"),
            _ComboBox(),
            self.tr("The game G and D play: how each one is scored."),
        )
        self._add_float(
            form,
            "loss.label_smoothing",
            self.tr("Label smoothing"),
            self.tr("D aims at 1 − s instead of 1 for real samples, so it is less sure of itself."),
        )
        self._add_float(
            form,
            "loss.instance_noise",
            self.tr("Instance noise"),
            self.tr("Blur what D sees by adding random noise of this size to every sample."),
        )
        self._add_float(
            form,
            "loss.r1_gamma",
            self.tr("R1 penalty"),
            self.tr("Punish D for steep slopes at the real data; 0 turns it off."),
            special=self.tr("off"),
        )
        self._add_float(
            form,
            "loss.gp_weight",
            self.tr("Gradient penalty"),
            self.tr("WGAN-GP: how strongly D's slope is pulled towards 1 (lambda)."),
        )
        self._add_float(
            form,
            "loss.clip_value",
            self.tr("Weight clip"),
            self.tr("WGAN: every weight of D is kept between −c and c."),
        )
        self._add_float(
            form,
            "loss.aux_weight",
            self.tr("Class loss weight"),
            self.tr("AC-GAN: how much the class loss of D and G counts next to real or fake."),
        )
        paper = QPushButton(self.tr("Use the paper's settings"))
        paper.setObjectName("paper_settings")
        paper.setToolTip(self.tr("Set what the paper that introduced this loss used."))
        paper.clicked.connect(self._on_paper_clicked)
        form.addRow(paper)
        self._paper_button = paper
        return section

    def _build_optimizer_section(self, net: str) -> _Section:
        if net == "d":
            title, color = self.tr("Discriminator (D)"), style.D_COLOR
            who = self.tr("D")
        else:
            title, color = self.tr("Generator (G)"), style.G_COLOR
            who = self.tr("G")
        section = _Section(
            title, self.tr("Show or hide {0}'s training settings.").format(who), color
        )
        form = section.form
        prefix = f"optimizer_{net}"
        optimizer = _ComboBox()
        for name, text in zip(
            OPTIMIZERS, (self.tr("SGD"), self.tr("Adam"), self.tr("RMSprop")), strict=True
        ):
            optimizer.addItem(text, name)
        self._add_combo(
            form,
            f"{prefix}.name",
            self.tr("Optimizer"),
            optimizer,
            self.tr("How {0}'s weights follow their gradients: SGD, Adam or RMSprop.").format(who),
        )
        rate = _LogRateEdit()
        self._add_row(
            form,
            f"{prefix}.lr",
            self.tr("Learning rate"),
            rate,
            self.tr(
                "How big a step {0} takes at each update. Drag (log scale) or type a number."
            ).format(who),
        )
        self._getters[f"{prefix}.lr"] = rate.value
        self._setters[f"{prefix}.lr"] = lambda v, edit=rate: edit.set_value(float(v))
        rate.value_edited.connect(partial(self._on_editor_edited, f"{prefix}.lr"))
        self._add_float(
            form,
            f"{prefix}.beta1",
            self.tr("β1"),
            self.tr("Adam: how much of the past gradients {0} keeps (momentum).").format(who),
        )
        self._add_float(
            form,
            f"{prefix}.beta2",
            self.tr("β2"),
            self.tr("Adam: how slowly {0}'s step sizes adapt to the gradient sizes.").format(who),
        )
        self._add_float(
            form,
            f"{prefix}.momentum",
            self.tr("Momentum"),
            self.tr("How much of its previous step {0} keeps; 0 for none.").format(who),
        )
        self._add_int(
            form,
            f"loop.k_{net}",
            self.tr("Steps (k)"),
            self.tr("How many times {0} is updated in each training iteration (k).").format(who),
        )
        return section

    def _build_loop_section(self) -> _Section:
        section = _Section(self.tr("Training"), self.tr("Show or hide the training settings."))
        form = section.form
        self._add_int(
            form,
            "loop.batch_size",
            self.tr("Batch size"),
            self.tr("Real and generated samples used for each update of D and of G."),
        )
        self._add_int(
            form,
            "loop.latent_dim",
            self.tr("Noise size"),
            self.tr("Number of random numbers in the noise vector z that G turns into a sample."),
        )
        dist = _ComboBox()
        dist.addItem(self.tr("Gaussian N(0, 1)"), "gaussian")
        dist.addItem(self.tr("Uniform U(−1, 1)"), "uniform")
        self._add_combo(
            form,
            "loop.latent_dist",
            self.tr("Noise"),
            dist,
            self.tr("The distribution the noise z is drawn from."),
        )
        seed = QLineEdit()
        seed.setValidator(QRegularExpressionValidator(r"\d{1,19}", seed))
        seed.setText("0")
        self._seed_shown = 0  # editingFinished also fires on focus loss: emit changes only
        self._add_row(
            form,
            "loop.seed",
            self.tr("Seed"),
            seed,
            self.tr("Fixes the random numbers: the same seed gives the same run."),
        )
        self._getters["loop.seed"] = lambda: int(seed.text() or 0)
        self._setters["loop.seed"] = partial(self._set_seed, seed)
        seed.editingFinished.connect(partial(self._on_seed_editing_finished, seed))
        self._add_combo(
            form,
            "loop.device",
            self.tr("Device"),
            _ComboBox(),
            self.tr("Where the networks run: the GPU when there is one, or the CPU."),
        )
        return section

    def _style_sections(self, sections: Iterable[_Section]) -> None:
        """Frame D's and G's boxes in their colours.

        Set once on the panel, after the boxes have their parents: a box given a style
        sheet of its own would stop passing the panel's (projector) font to its rows.
        """
        rules = [f"QLabel#legend {{ color: {style.NEUTRAL}; }}"]
        for index, section in enumerate(sections):
            if section.color is not None:
                section.setObjectName(f"section_{index}")
                rules.append(
                    f"QGroupBox#section_{index} {{ border: 2px solid {section.color};"
                    " border-radius: 5px; }"
                )
        self.setStyleSheet("\n".join(rules))

    @staticmethod
    def _align_labels(sections: Iterable[_Section]) -> None:
        """One label column width for every box, so the fields line up down the panel."""
        labels = [
            item.widget()
            for section in sections
            for row in range(section.form.rowCount())
            if (item := section.form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        ]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    # ----------------------------------------------------------------- row builders

    def _tooltip(self, key: str, text: str) -> str:
        if rebuilds_networks(key):
            return text + " " + self.tr("Changing it rebuilds the networks with new weights.")
        return text + " " + self.tr("Applies live, while training.")

    def _add_row(self, form: QFormLayout, key: str, label: str, editor: QWidget, tip: str) -> None:
        if rebuilds_networks(key):
            label = f"{label} {REBUILD_MARK}"
        text = QLabel(label)
        text.setBuddy(editor)
        tooltip = self._tooltip(key, tip)
        text.setToolTip(tooltip)
        editor.setToolTip(tooltip)
        editor.setObjectName(key)
        form.addRow(text, editor)
        self._base_tips[key] = tooltip
        self._editors[key] = editor
        self._labels[key] = label.removesuffix(f" {REBUILD_MARK}")
        self._forms[key] = form

    def _add_int(self, form: QFormLayout, key: str, label: str, tip: str) -> None:
        spin = _SpinBox()
        spin.setRange(*INT_RANGES[key])
        spin.setValue(spin.minimum())  # a fresh spin box shows no text until a value is set
        spin.setKeyboardTracking(False)  # emit when editing finishes, not per keystroke
        spin.setAccelerated(True)
        self._add_row(form, key, label, spin, tip)
        self._getters[key] = spin.value
        self._setters[key] = lambda v, s=spin: s.setValue(int(v))
        spin.valueChanged.connect(partial(self._on_editor_edited, key))

    def _add_float(
        self, form: QFormLayout, key: str, label: str, tip: str, special: str = ""
    ) -> None:
        lo, hi, step, decimals = FLOAT_RANGES[key]
        spin = _DoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(lo, hi)
        spin.setSingleStep(step)
        spin.setValue(lo)  # a fresh spin box shows no text until a value is set
        spin.setKeyboardTracking(False)
        if special:
            spin.setSpecialValueText(special)  # shown at the minimum, 0
        self._add_row(form, key, label, spin, tip)
        self._getters[key] = lambda s=spin: float(s.value())
        self._setters[key] = lambda v, s=spin: s.setValue(float(v))
        spin.valueChanged.connect(partial(self._on_editor_edited, key))

    def _add_check(self, form: QFormLayout, key: str, label: str, tip: str) -> None:
        box = QCheckBox(f"{label} {REBUILD_MARK}" if rebuilds_networks(key) else label)
        box.setToolTip(self._tooltip(key, tip))
        box.setObjectName(key)
        form.addRow(box)
        self._editors[key] = box
        self._forms[key] = form
        self._getters[key] = box.isChecked
        self._setters[key] = lambda v, b=box: b.setChecked(bool(v))
        box.toggled.connect(partial(self._on_editor_edited, key))

    def _add_combo(
        self,
        form: QFormLayout,
        key: str,
        label: str,
        combo: QComboBox,
        tip: str,
    ) -> None:
        self._add_row(form, key, label, combo, tip)
        combo.setProperty("base_tooltip", combo.toolTip())
        self._getters[key] = combo.currentData
        self._setters[key] = partial(self._select, combo)
        combo.currentIndexChanged.connect(partial(self._on_combo_changed, key))

    def _fill_combo(self, key: str, items: Iterable[tuple[str, str]]) -> None:
        combo = self._editors[key]
        assert isinstance(combo, QComboBox)
        with QSignalBlocker(combo):
            combo.clear()
            for value, text in items:
                combo.addItem(text, value)

    def _fill_sources(self, sources: list[tuple[str, str, str]]) -> None:
        """Sources grouped by kind under headers that cannot be picked."""
        combo = self._editors["data.source"]
        assert isinstance(combo, QComboBox)
        headers = {"toy1d": self.tr("1-D"), "toy2d": self.tr("2-D"), "image": self.tr("Images")}
        kinds = [k for k in _KIND_ORDER if any(s[2] == k for s in sources)]
        kinds += sorted({s[2] for s in sources} - set(_KIND_ORDER))
        model = combo.model()
        assert isinstance(model, QStandardItemModel)
        with QSignalBlocker(combo):
            combo.clear()
            for kind in kinds:
                combo.addItem(headers.get(kind, kind))
                header = model.item(combo.count() - 1)
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setFont(style.font(bold=True))
                for name, title, source_kind in sources:
                    if source_kind == kind:
                        combo.addItem(title, name)
            if combo.currentData() is None and combo.count() > 1:
                combo.setCurrentIndex(1)  # never leave a header selected

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index < 0:  # a value the pickers do not list (a custom image size, "cuda:1")
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _set_editor(self, key: str, value: object) -> None:
        with QSignalBlocker(self._editors[key]):
            self._setters[key](value)

    # ----------------------------------------------------------------- dependent rows

    def _update_dependent_rows(self) -> None:
        """Show the settings that apply to the current choices; grey out misfit families."""
        source = self._getters["data.source"]()
        family = self._getters["model.family"]()
        kind = self._source_kinds.get(source) if isinstance(source, str) else None
        convolutional = family in _CONV_FAMILIES or (
            family in _CONV_ON_IMAGES_FAMILIES and kind == "image"
        )
        visible = {
            "data.sigma": kind != "image",
            "data.image_size": kind == "image",
            "data.channels": kind == "image",
            "model.base_channels": convolutional,
        }
        visible.update(dict.fromkeys(_MLP_KEYS, not convolutional))
        for net in ("d", "g"):
            optimizer = self._getters[f"optimizer_{net}.name"]()
            visible[f"optimizer_{net}.beta1"] = optimizer == "adam"
            visible[f"optimizer_{net}.beta2"] = optimizer == "adam"
            visible[f"optimizer_{net}.momentum"] = optimizer in ("sgd", "rmsprop")
        for key, shown in visible.items():
            self._forms[key].setRowVisible(self._editors[key], shown)
        self._update_family_items(kind, family)
        self._update_loss_options()

    def inapplicable_reason(self, key: str) -> str:
        """Why loss setting ``key`` has no effect with the current loss and family, or ""
        when it applies (the tooltip of its disabled row)."""
        loss = str(self._getters["loss.name"]())  # "None" before the choices are set
        option = key.removeprefix("loss.")
        options = self._loss_options
        if options is not None and loss in options and option not in options[loss]:
            users = [self._loss_titles.get(n, n) for n, keys in options.items() if option in keys]
            title = self._loss_titles.get(loss, loss)
            if not users:
                return self.tr("No loss uses this setting.")
            return self.tr("Has no effect with the loss {0}: only {1} use it.").format(
                title, ", ".join(users)
            )
        family = str(self._getters["model.family"]())
        aux = self._aux_families
        if option == "aux_weight" and aux is not None and family not in aux:
            title = self._families.get(family, (family, ()))[0]
            users = [self._families.get(n, (n, ()))[0] for n in sorted(aux)]
            return self.tr(
                "Has no effect with {0}: only families with an auxiliary classifier ({1}) use it."
            ).format(title, ", ".join(users))
        return ""

    def _update_loss_options(self) -> None:
        """Disable the loss settings the chosen loss (or family) ignores, saying why."""
        for key in LOSS_OPTION_KEYS:
            reason = self.inapplicable_reason(key)
            editor = self._editors[key]
            base = self._base_tips[key]
            tip = f"{base}\n\n{reason}" if reason else base
            editor.setEnabled(not reason)
            editor.setToolTip(tip)
            label = self._forms[key].labelForField(editor)
            if label is not None:
                label.setEnabled(not reason)
                label.setToolTip(tip)
        self._update_paper_button()

    def paper_changes(self) -> list[tuple[str, object]]:
        """The (dotted key, value) pairs of the current loss's paper recipe that differ
        from the values shown; [] when the loss has none or all are in place."""
        loss = str(self._getters["loss.name"]())
        _paper, pairs = self._paper_settings.get(loss, ("", []))
        return [(key, value) for key, value in pairs if self._getters[key]() != value]

    def _update_paper_button(self) -> None:
        entry = self._paper_settings.get(str(self._getters["loss.name"]()))
        self._forms["loss.name"].setRowVisible(self._paper_button, entry is not None)
        if entry is None:
            return
        paper, pairs = entry
        changes = self.paper_changes()
        recipe = ", ".join(f"{self.label_for(k)} = {_shown(v)}" for k, v in pairs)
        tip = self.tr("Set what {0} used: {1}.").format(paper, recipe)
        if not changes:
            tip += " " + self.tr("They are all in place.")
        self._paper_button.setEnabled(bool(changes))
        self._paper_button.setToolTip(tip)

    def _on_paper_clicked(self) -> None:
        for key, value in self.paper_changes():  # computed first: each edit may echo back
            self._set_editor(key, value)
            self.setting_changed.emit(key, value)
        self._update_dependent_rows()

    def _update_family_items(self, kind: str | None, family: object) -> None:
        combo = self._editors["model.family"]
        assert isinstance(combo, QComboBox)
        model = combo.model()
        assert isinstance(model, QStandardItemModel)
        kind_words = {"toy1d": self.tr("1-D"), "toy2d": self.tr("2-D"), "image": self.tr("image")}
        warning = ""
        for row in range(combo.count()):
            name = combo.itemData(row)
            title, kinds = self._families.get(name, (combo.itemText(row), ()))
            supported = kind is None or not kinds or kind in kinds
            reason = ""
            if not supported:
                needs = " / ".join(kind_words.get(k, k) for k in kinds)
                reason = self.tr("{0} does not train on {1} data; it needs {2} data.")
                reason = reason.format(title, kind_words.get(kind, kind), needs)
                if name == family:
                    warning = reason
            model.item(row).setEnabled(supported)
            model.item(row).setToolTip(reason)
        base = combo.property("base_tooltip")
        combo.setToolTip(f"{base}\n\n{warning}" if warning else base)

    # ----------------------------------------------------------------- user edits

    def _on_editor_edited(self, key: str, *_args: object) -> None:
        self.setting_changed.emit(key, self._getters[key]())
        self._update_paper_button()

    def _on_combo_changed(self, key: str, index: int) -> None:
        if index < 0:
            return
        self._update_dependent_rows()
        self.setting_changed.emit(key, self._getters[key]())

    def _set_seed(self, edit: QLineEdit, seed: object) -> None:
        self._seed_shown = int(seed)
        edit.setText(str(self._seed_shown))

    def _on_seed_editing_finished(self, edit: QLineEdit) -> None:
        seed = min(int(edit.text() or 0), SEED_MAX)
        edit.setText(str(seed))
        if seed != self._seed_shown:
            self._seed_shown = seed
            self.setting_changed.emit("loop.seed", seed)
