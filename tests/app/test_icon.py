"""The application icon: committed PNGs match their SVG source, and the window uses them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from ganlab.app.main import app_icon, application

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"


def _render_module():
    spec = importlib.util.spec_from_file_location(
        "render_icons", ROOT / "packaging" / "render_icons.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4].astype(int)


render_icons = _render_module()


@pytest.mark.parametrize("size", render_icons.SIZES)
def test_committed_png_matches_the_svg(qapp, size):
    png = QImage(str(ICONS / f"ganlab-{size}.png"))
    assert (png.width(), png.height()) == (size, size)
    fresh = render_icons.render(ICONS / "ganlab.svg", size)
    diff = np.abs(_pixels(png) - _pixels(fresh)).mean()
    assert diff < 2.0, f"ganlab-{size}.png is stale: run packaging/render_icons.py"


def test_icon_is_not_blank(qapp):
    pixels = _pixels(QImage(str(ICONS / "ganlab-64.png"))).reshape(64, 64, 4)
    assert pixels[..., 3].mean() > 200  # mostly opaque
    assert len(np.unique(pixels.reshape(-1, 4), axis=0)) > 20  # a picture, not a flat fill


def test_window_icon_offers_every_size(qapp):
    icon = app_icon()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(n, n) for n in render_icons.SIZES} <= sizes
    app = application()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().pixmap(QSize(32, 32)).width() == 32
    assert app.desktopFileName() == "ganlab"
