"""Panel tests: offscreen Qt, pyqtgraph configured as the app configures it."""

from __future__ import annotations

import pytest

from ganlab.widgets import style


@pytest.fixture(autouse=True)
def _pyqtgraph_options(qapp):
    style.configure_pyqtgraph()
