"""The slow-motion panel: narrates one training iteration as named sub-steps.

Owns the stage list, the two network badges, the plain-language explanation, the start
button and the speed slider. It runs no timers: the controller advances the stages with
:meth:`SlowMotionPanel.set_stage` and hears ``start_requested`` / ``speed_changed``.
GUI thread; no torch.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ganlab.widgets import style

SPEED_MIN, SPEED_MAX, SPEED_DEFAULT = 0.2, 3.0, 1.0  # seconds per sub-step
_SPEED_TICKS_PER_SECOND = 10


def _rgba(hex_code: str, alpha: int) -> str:
    c = style.color(hex_code, alpha)
    return f"rgba({c.red()}, {c.green()}, {c.blue()}, {c.alpha()})"


class SlowMotionPanel(QWidget):
    """One iteration, one sub-step at a time: which network trains and what happens."""

    start_requested = Signal()
    speed_changed = Signal(float)

    STAGES: tuple[str, ...] = (
        QT_TRANSLATE_NOOP("SlowMotionPanel", "Sample noise z"),
        QT_TRANSLATE_NOOP("SlowMotionPanel", "Generate G(z)"),
        QT_TRANSLATE_NOOP("SlowMotionPanel", "D classifies real and generated samples"),
        QT_TRANSLATE_NOOP("SlowMotionPanel", "Compute the loss"),
        QT_TRANSLATE_NOOP("SlowMotionPanel", "Backpropagate the gradients"),
        QT_TRANSLATE_NOOP("SlowMotionPanel", "Update the weights"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(style.font())
        self._explanations = self._build_explanations()
        self._stage: int | None = None
        self._network: str | None = None
        self._running = False
        self._unavailable: str | None = None  # why the narration does not apply, if so

        self._badges = {
            "d": QLabel(self.tr("Discriminator")),
            "g": QLabel(self.tr("Generator")),
        }
        self._badges["d"].setToolTip(self.tr("Lit while D, the discriminator, is trained."))
        self._badges["g"].setToolTip(self.tr("Lit while G, the generator, is trained."))
        badges = QHBoxLayout()
        for net, badge in self._badges.items():
            badge.setObjectName(f"badge_{net}")
            badge.setProperty("network", net)
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFont(style.font(bold=True))
            badges.addWidget(badge)
        badges.addStretch(1)

        self._stage_labels: list[QLabel] = []
        stages = QVBoxLayout()
        stages.setSpacing(1)
        for index, name in enumerate(self.STAGES):
            label = QLabel(f"{index + 1}.  {self.tr(name)}")
            label.setObjectName(f"stage_{index}")
            label.setProperty("role", "stage")
            label.setWordWrap(True)  # a long stage name takes two lines, not the dock's width
            label.setFont(style.font())  # explicit: re-polishing would drop an inherited font
            self._stage_labels.append(label)
            stages.addWidget(label)

        self._explanation = QLabel()
        self._explanation.setObjectName("explanation")
        self._explanation.setWordWrap(True)
        self._explanation.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._explanation.setMinimumHeight(3 * self.fontMetrics().lineSpacing() + 8)

        self._start = QPushButton(self.tr("Play one iteration slowly"))
        self._start.setObjectName("start")
        self._start.setToolTip(
            self.tr(
                "Train for one iteration (D's update, then G's) slowly, "
                "lighting up each sub-step with an explanation."
            )
        )
        self._start.clicked.connect(self.start_requested)

        self._speed = QSlider(Qt.Orientation.Horizontal)
        self._speed.setObjectName("speed")
        self._speed.setRange(
            round(SPEED_MIN * _SPEED_TICKS_PER_SECOND), round(SPEED_MAX * _SPEED_TICKS_PER_SECOND)
        )
        self._speed.setValue(round(SPEED_DEFAULT * _SPEED_TICKS_PER_SECOND))
        self._speed.setToolTip(
            self.tr("How long each sub-step stays lit, from 0.2 to 3 seconds. Applies at once.")
        )
        self._speed_text = QLabel()
        self._speed_text.setToolTip(self._speed.toolTip())
        self._speed_text.setMinimumWidth(self.fontMetrics().horizontalAdvance("0.0 s / step  "))
        self._speed.valueChanged.connect(self._on_speed_value_changed)
        speed_row = QHBoxLayout()
        speed_label = QLabel(self.tr("Pace"))
        speed_label.setToolTip(self._speed.toolTip())
        speed_row.addWidget(speed_label)
        speed_row.addWidget(self._speed, 1)
        speed_row.addWidget(self._speed_text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(badges)
        layout.addLayout(stages)
        layout.addWidget(self._explanation, 1)
        layout.addWidget(self._start)
        layout.addLayout(speed_row)

        self._show_speed()
        # One style sheet, set once the labels have their parent (so they keep its font);
        # the labels are restyled by changing their "state" property.
        self.setStyleSheet(self._style_sheet())
        self.set_stage(None, None)

    # ----------------------------------------------------------------- public API

    def set_stage(self, index: int | None, network: str | None) -> None:
        """Highlight sub-step ``index`` of ``network``'s update and explain it.

        Parameters
        ----------
        index
            Position in :attr:`STAGES`, or None to highlight nothing.
        network
            ``"d"`` or ``"g"``: the network being trained (its badge is filled, the
            other greyed), or None for neither.
        """
        if index is not None and not 0 <= index < len(self.STAGES):
            raise IndexError(f"stage {index} is not in 0..{len(self.STAGES) - 1}")
        if network not in (None, "d", "g"):
            raise ValueError(f"network must be 'd', 'g' or None, got {network!r}")
        self._stage, self._network = index, network
        for net, badge in self._badges.items():
            state = "idle" if network is None else ("active" if net == network else "inactive")
            self._restyle(badge, state)
        for i, label in enumerate(self._stage_labels):
            label.setFont(style.font(bold=i == index))
            self._restyle(label, f"current_{network or 'none'}" if i == index else "idle")
        self._explanation.setText(self._explanations[(index, network)])

    def set_running(self, running: bool) -> None:
        """Disable the start button while an iteration is being narrated."""
        self._running = running
        self._start.setEnabled(not running and self._unavailable is None)

    def set_unavailable(self, reason: str | None) -> None:
        """The narration tells the plain game of G(z) against D(x). For a model it does
        not describe (an image translator, which has no z), pass the ``reason`` (shown
        in place of the explanation, the start button disabled); None makes it
        available again."""
        self._unavailable = reason
        for label in self._stage_labels:
            label.setEnabled(reason is None)
        self._start.setEnabled(reason is None and not self._running)
        self._explanation.setText(
            reason if reason is not None else self._explanations[(self._stage, self._network)]
        )

    def is_available(self) -> bool:
        """Whether the narration describes the model being trained."""
        return self._unavailable is None

    def speed(self) -> float:
        """Seconds each sub-step stays lit (0.2 .. 3.0)."""
        return self._speed.value() / _SPEED_TICKS_PER_SECOND

    def set_speed(self, seconds: float) -> None:
        """Show ``seconds`` per sub-step (clamped to 0.2 .. 3.0) without emitting."""
        self._speed.blockSignals(True)
        try:
            self._speed.setValue(round(float(seconds) * _SPEED_TICKS_PER_SECOND))
        finally:
            self._speed.blockSignals(False)
        self._show_speed()

    def current_stage(self) -> tuple[int | None, str | None]:
        """The highlighted ``(stage index, network)``."""
        return self._stage, self._network

    def explanation(self) -> str:
        """The sentence shown for the highlighted stage."""
        return self._explanation.text()

    # ----------------------------------------------------------------- internals

    def _on_speed_value_changed(self, _tick: int) -> None:
        self._show_speed()
        self.speed_changed.emit(self.speed())

    def _show_speed(self) -> None:
        self._speed_text.setText(self.tr("{0:.1f} s / step").format(self.speed()))

    @staticmethod
    def _restyle(widget: QWidget, state: str) -> None:
        if widget.property("state") == state:
            return
        widget.setProperty("state", state)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    @staticmethod
    def _style_sheet() -> str:
        grey = "#9a9a9a"
        rules = [
            "QLabel[network] { border-radius: 6px; padding: 3px 10px; }",
            f'QLabel[state="inactive"] {{ background: #ececec; color: {grey};'
            f" border: 2px solid #d6d6d6; }}",
            f'QLabel[role="stage"] {{ padding: 2px 6px; color: {style.NEUTRAL};'
            " border-left: 4px solid transparent; }",
            "QLabel#explanation { background: #f6f6f6; border: 1px solid #dddddd;"
            " border-radius: 4px; padding: 4px 6px; }",
        ]
        for net, color in (("d", style.D_COLOR), ("g", style.G_COLOR)):
            rules += [
                f'QLabel[network="{net}"][state="active"] {{ background: {color};'
                f" color: white; border: 2px solid {color}; }}",
                f'QLabel[network="{net}"][state="idle"] {{ color: {color};'
                f" border: 2px solid {color}; }}",
                f'QLabel[role="stage"][state="current_{net}"] {{ color: black;'
                f" background: {_rgba(color, 40)};"
                f" border-left: 4px solid {color}; }}",
            ]
        rules.append(
            'QLabel[role="stage"][state="current_none"] { color: black;'
            f" background: #ececec; border-left: 4px solid {style.NEUTRAL}; }}"
        )
        return "\n".join(rules)

    def _build_explanations(self) -> dict[tuple[int | None, str | None], str]:
        """One plain sentence per (stage, network); written out so they can be translated."""
        idle = self.tr(
            "Press “Play one iteration slowly” to watch one training iteration step by step: "
            "first D learns, then G."
        )
        d = (
            self.tr("Draw a batch of random noise vectors z: G will turn them into fakes for D."),
            self.tr(
                "G turns each z into a fake sample G(z); G is frozen during D's update, "
                "so only D learns from these."
            ),
            self.tr(
                "D scores every real sample x and every fake G(z): D(·) is its belief, "
                "from 0 to 1, that the sample is real."
            ),
            self.tr(
                "D is scored on telling them apart: −log D(x) − log(1 − D(G(z))) is small "
                "when reals score near 1 and fakes near 0."
            ),
            self.tr(
                "Backpropagation works out, for each of D's weights, which way to move it "
                "to lower D's loss."
            ),
            self.tr(
                "The optimizer moves D's weights a small step downhill, scaled by D's "
                "learning rate; G does not change."
            ),
        )
        g = (
            self.tr("Draw a fresh batch of noise vectors z: each is a random point G will map."),
            self.tr(
                "G turns each z into a sample G(z), keeping track of how every output "
                "depends on its weights."
            ),
            self.tr(
                "D scores G's fresh samples, D(G(z)). D only judges here: its weights stay "
                "fixed while G learns."
            ),
            self.tr(
                "G is scored by how real D finds its samples: the non-saturating loss −log D(G(z))."
            ),
            self.tr(
                "The gradient flows back through D into G: it tells each of G's weights how "
                "to move so that D(G(z)) rises."
            ),
            self.tr(
                "The optimizer moves G's weights a small step, scaled by G's learning rate; "
                "D does not change."
            ),
        )
        neither = (
            self.tr("Draw random noise vectors z, the raw material of G's samples."),
            self.tr("G turns each noise vector z into a sample G(z)."),
            self.tr("D gives real and generated samples a score: how real each one looks."),
            self.tr("The loss turns D's scores into one number saying how well a network did."),
            self.tr("Backpropagation finds which way each weight should move to lower the loss."),
            self.tr("The optimizer moves the weights a small step in that direction."),
        )
        table: dict[tuple[int | None, str | None], str] = {}
        for network, sentences in (("d", d), ("g", g), (None, neither)):
            table[(None, network)] = idle
            for index, sentence in enumerate(sentences):
                table[(index, network)] = sentence
        return table
