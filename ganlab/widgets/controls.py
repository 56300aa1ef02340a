"""The experiment settings panel: data, model, loss, both optimizers and the training loop.

Owns the widgets that edit an experiment's settings and nothing else. Its rows are built
from plain data: the settings schema (``ganlab.kernel.config.settings_schema()``, one dict
per dotted key: kind, range, step, label, help, whether it rebuilds the networks, when it
applies) and the registries' choices and declared capabilities (which settings a loss or
a model family uses), both handed over by the app: the panel must not import the config
module, which reaches the registries and torch. A setting added to a config dataclass
with its metadata appears here with no change to this file.

It hears back one ``setting_changed(key, value)`` per user edit; programmatic updates
never emit. A lesson hides rows (:meth:`ControlsPanel.set_hidden_keys`) and locks them
(:meth:`ControlsPanel.set_lock`). GUI thread; no torch.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

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

from ganlab.kernel.i18n import _ as _gettext
from ganlab.widgets import style

# Learning rate: the spin box takes config's whole range (0, 10]; the slider spans the
# useful part, 1e-6 .. 1, on a log scale.
LR_MIN, LR_MAX = 1e-8, 10.0
LR_SLIDER_MIN_EXP, LR_SLIDER_MAX_EXP = -6, 0
LR_TICKS_PER_DECADE = 60
LR_EMIT_INTERVAL_MS = 50  # at most 20 live learning-rate changes per second while dragging

REBUILD_MARK = "↻"
_INT_MAX = 2**31 - 1  # a QSpinBox holds a C int
_KIND_ORDER = ("toy1d", "toy2d", "image")
# The pickers the registries fill (set_choices), and next to which the two buttons sit.
_SOURCE_KEY = "data.source"
_FAMILY_KEY = "model.family"
_LOSS_KEY = "loss.name"
_DEVICE_KEY = "loop.device"


def spin_range(row: Mapping[str, Any]) -> tuple[float, float]:
    """The (minimum, maximum) a number editor takes for a schema ``row``.

    A range open at ``lo`` starts one unit of the last shown decimal above it (the next
    integer for an int); an unbounded end becomes the editor's own limit.
    """
    lo, hi = row.get("lo"), row.get("hi")
    if row["kind"] in ("int", "seed"):
        lo = -_INT_MAX if lo is None else int(lo) + (1 if row.get("lo_open") else 0)
        hi = _INT_MAX if hi is None else min(int(hi), _INT_MAX)
        return lo, hi
    decimals = row.get("decimals") or 2
    lo = -1e12 if lo is None else float(lo) + (10.0**-decimals if row.get("lo_open") else 0.0)
    hi = 1e12 if hi is None else float(hi)
    return lo, hi


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


@dataclass
class _Row:
    """One setting's row as built: its schema entry and its widgets."""

    spec: dict[str, Any]
    editor: QWidget
    label: QLabel | None  # None for a check box, which carries its own text
    form: QFormLayout
    section: str
    text: str  # the translated label, without the rebuild mark
    tip: str  # the tooltip without a reason or a lock note


# --------------------------------------------------------------------------- the panel


class ControlsPanel(QWidget):
    """Every experiment setting, in folding sections, scrollable for a dock.

    Built from the settings schema (:meth:`set_schema`). Emits ``setting_changed(key,
    value)`` once per user edit, with the dotted config key (``"optimizer_d.lr"``) and a
    value of the config field's type. Learning rates apply while dragging (throttled);
    other numbers when editing finishes; choices at once.
    """

    setting_changed = Signal(str, object)
    load_points_requested = Signal()

    def __init__(
        self, schema: Sequence[Mapping[str, Any]] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFont(style.font())
        self._rows: dict[str, _Row] = {}
        self._getters: dict[str, Callable[[], object]] = {}
        self._setters: dict[str, Callable[[object], None]] = {}
        self._sections: dict[str, _Section] = {}
        self._source_kinds: dict[str, str] = {}
        self._families: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._choice_items: dict[str, list[tuple[str, str]]] = {}
        # picker key -> item value -> data kind (None: any) -> the dotted keys it uses.
        self._uses: dict[str, dict[object, dict[str | None, frozenset[str]]]] = {}
        self._paper_settings: dict[str, tuple[str, list[tuple[str, object]]]] = {}
        self._hidden: frozenset[str] = frozenset()
        self._allowed: frozenset[str] | None = None  # None: not locked
        self._load_button: QPushButton | None = None
        self._paper_button: QPushButton | None = None

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)
        self.set_schema(schema or [])

    # ----------------------------------------------------------------- public API

    def set_schema(self, schema: Sequence[Mapping[str, Any]]) -> None:
        """Build one row per schema entry (``settings_schema()``'s dicts), in order.

        Rows are grouped in folding sections by ``section``; labels and tooltips are the
        entries' English msgids translated with the engine's catalogue
        (``ganlab.kernel.i18n``), then formatted with ``args``. Values shown before are
        kept where the key remains; the pickers are refilled from the last
        :meth:`set_choices`.
        """
        current = self.values()
        self._rows.clear()
        self._getters.clear()
        self._setters.clear()
        self._sections.clear()
        self._load_button = self._paper_button = None
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
        for spec in schema:
            section = self._sections.get(spec["section"])
            if section is None:
                section = self._new_section(spec["section"])
                self._sections[spec["section"]] = section
                column.addWidget(section)
            self._add_setting(section, dict(spec))
        column.addStretch(1)
        self._scroll.setWidget(content)  # deletes the previous rows
        self._style_sections(self._sections.values())
        self._align_labels(self._sections.values())
        self._finish_edits_like_a_desktop_app()
        self._refill_registered()
        self.set_values({k: v for k, v in current.items() if v is not None})

    def keys(self) -> list[str]:
        """The dotted keys of the rows, in schema order."""
        return list(self._rows)

    def set_hidden_keys(self, keys: Iterable[str]) -> None:
        """Hide the rows of ``keys`` (and a section left empty); the others show again.

        Unknown keys are ignored, so a lesson may name settings this build lacks.
        """
        self._hidden = frozenset(keys)
        self._update_dependent_rows()

    def set_lock(self, allowed: Collection[str] | None) -> None:
        """The teacher's lock: only the settings in ``allowed`` can be changed.

        The others stay shown, greyed, with a tooltip that says the lesson locked them,
        and emit nothing. ``None`` unlocks every setting.
        """
        self._allowed = None if allowed is None else frozenset(allowed)
        self._update_dependent_rows()

    def is_locked(self, key: str) -> bool:
        """Whether the lock keeps setting ``key`` from being changed."""
        return self._allowed is not None and key not in self._allowed

    def set_choices(
        self,
        sources: list[tuple[str, str, str]],
        families: list[tuple[str, str, tuple[str, ...]]],
        losses: list[tuple[str, str]],
        devices: list[tuple[str, str]],
        *,
        loss_options: Mapping[str, Iterable[str]] | None = None,
        family_settings: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
        paper_settings: Mapping[str, tuple[str, Sequence[tuple[str, object]]]] | None = None,
    ) -> None:
        """Fill the pickers with what is registered and what each entry declares.

        Keeps the current selections.

        Parameters
        ----------
        sources
            ``(name, title, kind)`` per data source; kind is ``"toy1d"``, ``"toy2d"``
            or ``"image"`` (another data kind gets a group of its own).
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
        family_settings
            Family name -> data kind -> the dotted keys its networks use on that kind
            (``ModelFamily.settings`` as ``"model.*"`` keys, and ``"loss.aux_weight"``
            for a family with an auxiliary classifier). A setting another family uses
            and the chosen one does not is hidden or greyed, as its schema entry's
            ``unused`` says. A family left out uses everything. None: all apply.
        paper_settings
            Loss name -> (citation, [(dotted key, value), ...]): the recipe of the paper
            that introduced the loss (``Loss.paper_settings``), offered by a button.
        """
        self._source_kinds = {name: kind for name, _title, kind in sources}
        self._families = {name: (title, tuple(kinds)) for name, title, kinds in families}
        self._choice_items = {
            _SOURCE_KEY: [(name, title) for name, title, _kind in sources],
            _FAMILY_KEY: [(name, title) for name, title, _kinds in families],
            _LOSS_KEY: list(losses),
            _DEVICE_KEY: list(devices),
        }
        if loss_options is not None:
            self._uses[_LOSS_KEY] = {
                name: {None: frozenset(f"loss.{option}" for option in options)}
                for name, options in loss_options.items()
            }
        if family_settings is not None:
            self._uses[_FAMILY_KEY] = {
                name: {kind: frozenset(keys) for kind, keys in by_kind.items()}
                for name, by_kind in family_settings.items()
            }
        if paper_settings is not None:
            self._paper_settings = {
                name: (paper, list(pairs)) for name, (paper, pairs) in paper_settings.items()
            }
        self._refill_registered()

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
        row = self._rows.get(key)
        if row is None:
            return key
        if row.section == "optimizer_d":
            return self.tr("D: {setting}").format(setting=row.text)
        if row.section == "optimizer_g":
            return self.tr("G: {setting}").format(setting=row.text)
        return row.text

    def inapplicable_reason(self, key: str) -> str:
        """Why setting ``key`` has no effect with the current choices, or "" when it
        applies (the tooltip of its greyed row).

        From plain data only: the schema entry's ``data_kinds`` and ``when``, and what
        the chosen registry entries declare they use (:meth:`set_choices`).
        """
        row = self._rows.get(key)
        if row is None:
            return ""
        kind = self._current_kind()
        kinds = row.spec.get("data_kinds")
        if kinds and kind is not None and kind not in kinds:
            words = self._kind_words()
            needs = " / ".join(words.get(k, k) for k in kinds)
            return self.tr("Only for {0} data.").format(needs)
        for picker, allowed in (row.spec.get("when") or {}).items():
            if picker in self._getters and self._getters[picker]() not in allowed:
                return self._no_effect(picker, list(allowed))
        for picker, table in self._uses.items():
            if picker not in self._getters:
                continue
            governed = {k for by_kind in table.values() for k in self._used(by_kind, None)}
            by_kind = table.get(self._getters[picker]())
            if key not in governed or by_kind is None or key in self._used(by_kind, kind):
                continue
            users = [value for value, other in table.items() if key in self._used(other, kind)]
            return self._no_effect(picker, users)
        return ""

    def paper_changes(self) -> list[tuple[str, object]]:
        """The (dotted key, value) pairs of the current loss's paper recipe that differ
        from the values shown; [] when the loss has none or all are in place."""
        if _LOSS_KEY not in self._getters:
            return []
        _paper, pairs = self._paper_settings.get(str(self._getters[_LOSS_KEY]()), ("", []))
        return [
            (key, value)
            for key, value in pairs
            if key in self._getters and self._getters[key]() != value
        ]

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
            elif isinstance(watched, QLineEdit):
                watched.setText(str(watched.property("shown")))
            watched.clearFocus()
            return True
        return super().eventFilter(watched, event)

    # ----------------------------------------------------------------- sections

    def _new_section(self, name: str) -> _Section:
        d, g = self.tr("D"), self.tr("G")
        known = {
            "data": (self.tr("Data"), self.tr("Show or hide the data settings."), None),
            "model": (self.tr("Model"), self.tr("Show or hide the network settings."), None),
            "loss": (self.tr("Loss"), self.tr("Show or hide the loss settings."), None),
            "optimizer_d": (
                self.tr("Discriminator (D)"),
                self.tr("Show or hide {0}'s training settings.").format(d),
                style.D_COLOR,
            ),
            "optimizer_g": (
                self.tr("Generator (G)"),
                self.tr("Show or hide {0}'s training settings.").format(g),
                style.G_COLOR,
            ),
            "loop": (self.tr("Training"), self.tr("Show or hide the training settings."), None),
        }
        plain = (name.replace("_", " ").capitalize(), self.tr("Show or hide these settings."))
        title, tip, color = known.get(name, (*plain, None))
        return _Section(title, tip, color)

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
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    # ----------------------------------------------------------------- row builders

    def _add_setting(self, section: _Section, spec: dict[str, Any]) -> None:
        key = spec["key"]
        args = spec.get("args") or {}
        text = _gettext(spec["label"]).format(**args)
        tip = _gettext(spec["help"]).format(**args) if spec.get("help") else text
        tip += " " + (
            self.tr("Changing it rebuilds the networks with new weights.")
            if spec.get("rebuilds")
            else self.tr("Applies live, while training.")
        )
        build = {
            "int": self._int_editor,
            "float": self._float_editor,
            "lr": self._lr_editor,
            "bool": self._check_editor,
            "choice": self._combo_editor,
            "device": self._combo_editor,
            "seed": self._seed_editor,
        }.get(spec["kind"], self._text_editor)  # "text", "path" and kinds to come
        editor = build(key, spec)
        editor.setObjectName(key)
        editor.setToolTip(tip)
        shown = f"{text} {REBUILD_MARK}" if spec.get("rebuilds") else text
        form = section.form
        label: QLabel | None = None
        if isinstance(editor, QCheckBox):
            editor.setText(shown)
            form.addRow(editor)
        else:
            label = QLabel(shown)
            label.setBuddy(editor)
            label.setToolTip(tip)
            form.addRow(label, editor)
        self._rows[key] = _Row(spec, editor, label, form, spec["section"], text, tip)
        if key == _SOURCE_KEY:
            self._add_load_button(form)
        elif key == _LOSS_KEY:
            self._add_paper_button(form)

    def _int_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        spin = _SpinBox()
        lo, hi = spin_range(spec)
        spin.setRange(int(lo), int(hi))
        if spec.get("step"):
            spin.setSingleStep(int(spec["step"]))
        if spec.get("zero_text"):
            spin.setSpecialValueText(_gettext(spec["zero_text"]))  # shown at the minimum
        spin.setValue(spin.minimum())  # a fresh spin box shows no text until a value is set
        spin.setKeyboardTracking(False)  # emit when editing finishes, not per keystroke
        spin.setAccelerated(True)
        self._getters[key] = spin.value
        self._setters[key] = lambda v, s=spin: s.setValue(int(v))
        spin.valueChanged.connect(partial(self._on_editor_edited, key))
        return spin

    def _float_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        spin = _DoubleSpinBox()
        spin.setDecimals(int(spec.get("decimals") or 2))
        spin.setRange(*spin_range(spec))
        spin.setSingleStep(float(spec.get("step") or 0.1))
        spin.setValue(spin.minimum())  # a fresh spin box shows no text until a value is set
        spin.setKeyboardTracking(False)
        if spec.get("zero_text"):
            spin.setSpecialValueText(_gettext(spec["zero_text"]))  # shown at the minimum
        self._getters[key] = lambda s=spin: float(s.value())
        self._setters[key] = lambda v, s=spin: s.setValue(float(v))
        spin.valueChanged.connect(partial(self._on_editor_edited, key))
        return spin

    def _lr_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        rate = _LogRateEdit()
        lo, hi = spin_range({**spec, "decimals": 8})
        rate.spin.setRange(max(lo, LR_MIN), hi)
        self._getters[key] = rate.value
        self._setters[key] = lambda v, edit=rate: edit.set_value(float(v))
        rate.value_edited.connect(partial(self._on_editor_edited, key))
        return rate

    def _check_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        box = QCheckBox()
        self._getters[key] = box.isChecked
        self._setters[key] = lambda v, b=box: b.setChecked(bool(v))
        box.toggled.connect(partial(self._on_editor_edited, key))
        return box

    def _combo_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        combo = _ComboBox()
        if key == _SOURCE_KEY:
            policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            combo.setSizeAdjustPolicy(policy)
            combo.setMinimumContentsLength(12)
        labels = spec.get("choice_labels")
        for index, value in enumerate(spec.get("choices") or []):
            text = _gettext(labels[index]).format(value=value) if labels else str(value)
            combo.addItem(text, value)
        self._getters[key] = combo.currentData
        self._setters[key] = partial(self._select, combo)
        combo.currentIndexChanged.connect(partial(self._on_combo_changed, key))
        return combo

    def _seed_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        hi = int(spec.get("hi") or 2**63 - 1)
        seed = QLineEdit()
        seed.setValidator(QRegularExpressionValidator(rf"\d{{1,{len(str(hi))}}}", seed))
        self._set_line(seed, int, 0)
        self._getters[key] = lambda: int(seed.text() or 0)
        self._setters[key] = partial(self._set_line, seed, int)
        seed.editingFinished.connect(partial(self._on_line_editing_finished, key, seed, hi))
        return seed

    def _text_editor(self, key: str, spec: dict[str, Any]) -> QWidget:
        edit = QLineEdit()
        self._set_line(edit, str, "")
        self._getters[key] = edit.text
        self._setters[key] = partial(self._set_line, edit, str)
        edit.editingFinished.connect(partial(self._on_line_editing_finished, key, edit, None))
        return edit

    def _add_load_button(self, form: QFormLayout) -> None:
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
        self._load_button = load

    def _add_paper_button(self, form: QFormLayout) -> None:
        paper = QPushButton(self.tr("Use the paper's settings"))
        paper.setObjectName("paper_settings")
        paper.setToolTip(self.tr("Set what the paper that introduced this loss used."))
        paper.clicked.connect(self._on_paper_clicked)
        form.addRow(paper)
        self._paper_button = paper

    # ----------------------------------------------------------------- choices

    def _refill_registered(self) -> None:
        """Put the registered entries in their pickers, keeping the selections."""
        current = self.values()
        for key, pairs in self._choice_items.items():
            if key not in self._rows:
                continue
            if key == _SOURCE_KEY:
                self._fill_sources([(n, t, self._source_kinds[n]) for n, t in pairs])
            else:
                self._fill_combo(key, pairs)
            if current.get(key) is not None:
                self._set_editor(key, current[key])
        self._update_dependent_rows()

    def _fill_combo(self, key: str, items: Iterable[tuple[str, str]]) -> None:
        combo = self._rows[key].editor
        assert isinstance(combo, QComboBox)
        with QSignalBlocker(combo):
            combo.clear()
            for value, text in items:
                combo.addItem(text, value)

    def _kind_words(self) -> dict[str, str]:
        return {"toy1d": self.tr("1-D"), "toy2d": self.tr("2-D"), "image": self.tr("image")}

    def _fill_sources(self, sources: list[tuple[str, str, str]]) -> None:
        """Sources grouped by kind under headers that cannot be picked."""
        combo = self._rows[_SOURCE_KEY].editor
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
        with QSignalBlocker(self._rows[key].editor):
            self._setters[key](value)

    # ----------------------------------------------------------------- dependent rows

    def _current_kind(self) -> str | None:
        if _SOURCE_KEY not in self._getters:
            return None
        source = self._getters[_SOURCE_KEY]()
        return self._source_kinds.get(source) if isinstance(source, str) else None

    @staticmethod
    def _used(by_kind: Mapping[str | None, frozenset[str]], kind: str | None) -> frozenset[str]:
        """The keys an entry uses on data ``kind`` (on any kind when ``kind`` is None)."""
        if None in by_kind:
            return by_kind[None]
        if kind is None:
            return frozenset().union(*by_kind.values())
        return by_kind.get(kind, frozenset())

    def _title(self, picker: str, value: object) -> str:
        combo = self._rows[picker].editor
        assert isinstance(combo, QComboBox)
        index = combo.findData(value)
        return combo.itemText(index) if index >= 0 else str(value)

    def _no_effect(self, picker: str, users: list[object]) -> str:
        if not users:
            return self.tr("No choice of {0} uses this setting.").format(self._rows[picker].text)
        title = self._title(picker, self._getters[picker]())
        names = ", ".join(self._title(picker, user) for user in users)
        return self.tr("Has no effect with {0}: only {1} use it.").format(title, names)

    def _update_dependent_rows(self) -> None:
        """Show the settings that apply to the current choices (the others hidden or greyed
        with the reason, as their schema entry says), hide the lesson's hidden keys and
        apply its lock."""
        shown_sections: set[str] = set()
        lock_note = self.tr("The lesson has locked this setting: leave the lock to change it.")
        for key, row in self._rows.items():
            reason = self.inapplicable_reason(key)
            locked = self.is_locked(key)
            shown = key not in self._hidden and not (reason and row.spec.get("unused") == "hide")
            tip = row.tip + (f"\n\n{reason}" if reason else "") + (f"\n\n{lock_note}" * locked)
            row.form.setRowVisible(row.editor, shown)
            for widget in (row.editor, row.label):
                if widget is not None:
                    widget.setEnabled(not reason and not locked)
                    widget.setToolTip(tip)
            if shown:
                shown_sections.add(row.section)
        if self._load_button is not None:
            form = self._rows[_SOURCE_KEY].form
            form.setRowVisible(self._load_button, _SOURCE_KEY not in self._hidden)
            self._load_button.setEnabled(not self.is_locked(_SOURCE_KEY))
        for name, section in self._sections.items():
            section.setVisible(name in shown_sections)
        if _FAMILY_KEY in self._rows:
            self._update_family_items(self._current_kind(), self._getters[_FAMILY_KEY]())
        self._update_paper_button()

    def _update_paper_button(self) -> None:
        button = self._paper_button
        if button is None:
            return
        entry = self._paper_settings.get(str(self._getters[_LOSS_KEY]()))
        shown = entry is not None and _LOSS_KEY not in self._hidden
        self._rows[_LOSS_KEY].form.setRowVisible(button, shown)
        if entry is None:
            return
        paper, pairs = entry
        changes = self.paper_changes()
        recipe = ", ".join(f"{self.label_for(k)} = {_shown(v)}" for k, v in pairs)
        tip = self.tr("Set what {0} used: {1}.").format(paper, recipe)
        if not changes:
            tip += " " + self.tr("They are all in place.")
        locked = any(self.is_locked(key) for key, _value in changes)
        button.setEnabled(bool(changes) and not locked)
        button.setToolTip(tip)

    def _on_paper_clicked(self) -> None:
        for key, value in self.paper_changes():  # computed first: each edit may echo back
            self._set_editor(key, value)
            self.setting_changed.emit(key, value)
        self._update_dependent_rows()

    def _update_family_items(self, kind: str | None, family: object) -> None:
        combo = self._rows[_FAMILY_KEY].editor
        assert isinstance(combo, QComboBox)
        model = combo.model()
        assert isinstance(model, QStandardItemModel)
        kind_words = self._kind_words()
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
        if warning:
            combo.setToolTip(f"{combo.toolTip()}\n\n{warning}")

    # ----------------------------------------------------------------- user edits

    def _on_editor_edited(self, key: str, *_args: object) -> None:
        if self.is_locked(key):  # a locked editor is disabled; this is the backstop
            return
        self.setting_changed.emit(key, self._getters[key]())
        self._update_paper_button()

    def _on_combo_changed(self, key: str, index: int) -> None:
        if index < 0 or self.is_locked(key):
            return
        self._update_dependent_rows()
        self.setting_changed.emit(key, self._getters[key]())

    @staticmethod
    def _set_line(edit: QLineEdit, kind: type, value: object) -> None:
        """Show ``value`` in a line edit and remember it, so that only changes emit
        (editingFinished also fires when the focus merely leaves)."""
        edit.setProperty("shown", kind(value))
        edit.setText(str(kind(value)))

    def _on_line_editing_finished(self, key: str, edit: QLineEdit, hi: int | None) -> None:
        value: object = edit.text()
        if hi is not None:  # a seed: a whole number up to hi
            value = min(int(edit.text() or 0), hi)
            edit.setText(str(value))
        if value != edit.property("shown") and not self.is_locked(key):
            edit.setProperty("shown", value)
            self.setting_changed.emit(key, value)
