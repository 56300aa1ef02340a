"""Layering rules of ARCHITECTURE.md, enforced by import-linter and by a clean import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_importing_ganlab_imports_neither_qt_nor_torch():
    code = (
        "import sys, ganlab; bad = [m for m in ('torch', 'PySide6', 'pyqtgraph') "
        "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_cli_never_imports_qt():
    code = (
        "import sys; from ganlab.cli import main; main(['presets']); "
        "sys.exit(1 if any(m in sys.modules for m in ('PySide6', 'pyqtgraph')) else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_closed_pipe_is_not_a_traceback():
    """`ganlab presets | head -1`: the reader closes the pipe early; no traceback."""
    code = "import sys; from ganlab.cli import main; sys.exit(main(['presets']))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()  # the reader is gone before ganlab writes (it is still importing)
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err
    assert proc.returncode == 0
