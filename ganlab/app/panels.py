"""Which panel shows which run: the one table from a run's panel key to its data panel.

Runs in the GUI thread. A run's panel key is ``SegmentStarted.panel``: its model family's
own panel (``ModelFamily.panel``, e.g. ``"style"``) or else its data kind (``"toy2d"``,
``"toy1d"``, ``"image"``, ``"paired"``, ``"unpaired"``). Adding a panel is one entry in
:data:`PANELS`; the window builds every entry once, stacks them, and talks to each only
through :class:`DataPanel`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from ganlab.kernel import reports as rep
from ganlab.kernel.contracts import ModelFamily


class DataPanel(Protocol):
    """What the window calls on the panel of the run it shows (GUI thread).

    A panel that asks the trainer for something (G's output for a drawn sketch, a
    style-mixing grid at another ψ) has a ``panel_requested(str what, object params)``
    Qt signal; the window sends it as ``commands.RequestPanel`` and hands the answer to
    :meth:`show_answer`. A panel with parts that only answer the user (a sketch pad) may
    name them in an ``export_hidden() -> list[QWidget]`` method: exported pictures of the
    run (``ganlab.app.export``) leave them out, as they leave out every button and slider.
    A panel whose pictures show more than a recorded frame holds (legend entries of the
    window's own layers, such as the latent explorer's path) drops that in an optional
    ``prepare_export() -> None``, called once on the panel an export builds.
    """

    def clear(self) -> None:
        """Forget the previous run's pictures."""
        ...

    def show_segment(self, info: rep.SegmentStarted, family: ModelFamily) -> None:
        """Set up for a new segment (shapes, class names, how to read D): cheap, no drawing."""
        ...

    def show_real(self, info: rep.SegmentStarted) -> None:
        """Draw the segment's fixed real samples (``info.real``)."""
        ...

    def show_snapshot(self, snapshot: rep.Report) -> None:
        """Draw one snapshot of the trainer (the report kind its trainer sends: a
        ToySnapshot, ImageSnapshot or PanelSnapshot)."""
        ...

    def show_answer(self, answer: rep.PanelAnswer) -> None:
        """Draw the answer to one of its own requests (panels without requests ignore it)."""
        ...

    def set_output_kind(self, output_kind: str) -> None:
        """D's outputs are now probabilities or scores (the loss changed live)."""
        ...


def _toy2d() -> QWidget:
    from ganlab.widgets.toy_view import ToyViewPanel

    return ToyViewPanel()


def _toy1d() -> QWidget:
    from ganlab.widgets.density_view import DensityPanel

    return DensityPanel()


def _image() -> QWidget:
    from ganlab.widgets.image_view import ImagePanel

    return ImagePanel()


def _paired() -> QWidget:
    from ganlab.widgets.pix2pix_view import Pix2PixPanel

    return Pix2PixPanel()


def _unpaired() -> QWidget:
    from ganlab.widgets.cycle_view import CyclePanel

    return CyclePanel()


def _style() -> QWidget:
    from ganlab.widgets.style_view import StylePanel

    return StylePanel()


# Panel key -> factory of its panel (a QWidget that is a DataPanel). Order: the stack's.
PANELS: dict[str, Callable[[], QWidget]] = {
    "toy2d": _toy2d,
    "toy1d": _toy1d,
    "image": _image,
    "paired": _paired,
    "unpaired": _unpaired,
    "style": _style,
}


def build_panels() -> dict[str, Any]:
    """One panel of every :data:`PANELS` entry, by key."""
    return {key: make() for key, make in PANELS.items()}
