"""The window's process imports no torch (issue 12): only its trainer process does.

The check runs in a fresh interpreter, since this test process has torch already. It does
what the window does with the registries and experiments at start (list every family,
source and loss; load and validate every shipped preset and lesson step; build the
settings schema), then opens a real window with its trainer in its own process and waits
until that trainer has built its models, and checks at each stage that ``torch`` is not
in ``sys.modules``. The child ends its trainer itself (and says so): a process it leaves
behind would be orphaned, out of reach of the conftest check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import os, sys

    def heavy_modules():
        return [m for m in ("torch", "torchvision") if m in sys.modules]

    def no_torch(stage):
        if heavy_modules():
            print(f"FAIL: {heavy_modules()} imported by {stage}", flush=True)
            sys.exit(3)
        print(f"no torch after {stage}", flush=True)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    import ganlab.app.main_window
    from ganlab.kernel import config as cfg
    from ganlab.kernel.errors import ConfigError
    from ganlab.engine.lesson import load_lesson, shipped_lessons
    from ganlab.kernel.presets import load_preset, preset_names
    from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES
    import ganlab.data, ganlab.models

    no_torch("importing the window, ganlab.models and ganlab.data")

    for registry in (MODEL_FAMILIES, DATA_SOURCES, LOSSES):
        for name, entry in registry.items():
            assert entry.name == name and entry.title and entry.description, name
    cfg.settings_schema()
    cfg.family_settings()
    for name in preset_names():
        config = load_preset(name)
        cfg.check_names(config, name)
        cfg.inapplicable_settings(config)
        cfg.config_warnings(config, name)
    # The BatchNorm rule reads a family's batch_norm declaration.
    refused = cfg.with_value(load_preset("shapes_dcgan"), "loop.batch_size", 1)
    try:
        cfg.check_names(refused, "shapes_dcgan")
    except ConfigError:
        pass
    else:
        raise AssertionError("batch size 1 under BatchNorm was not refused")
    for path in shipped_lessons():
        lesson = load_lesson(path)
        for i in range(len(lesson.steps)):
            cfg.check_names(lesson.config_for_step(i), str(path))
    import ganlab.cli
    ganlab.cli._warn(load_preset("shapes_dcgan"), "exp.toml")  # opening a file warns first
    no_torch("listing the registries and validating every preset and lesson step")

    app = QApplication([])
    settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
    window = ganlab.app.main_window.MainWindow(
        load_preset(sys.argv[3]), settings=settings, link="process"
    )
    started = []
    loop = QEventLoop()
    window.controller.segment_started.connect(lambda *args: started.append(args))
    window.controller.segment_started.connect(loop.quit)
    QTimer.singleShot(int(sys.argv[2]), loop.quit)
    window.show()
    if not started:
        loop.exec()
    process = window.controller.link.process
    assert process is not None and process.pid != os.getpid()
    imported = heavy_modules()  # before closing: the window, its trainer running
    window.close()
    code = 0
    try:
        process.wait(60)
    except Exception:
        process.kill()
        process.wait()
        print("FAIL: the trainer process did not end after the window closed", flush=True)
        code = 4
    else:
        print("trainer ended", flush=True)
    if not started:
        print("FAIL: the trainer process did not build its models in time", flush=True)
        code = code or 5
    elif imported:
        print(f"FAIL: {imported} imported by the window with its trainer", flush=True)
        code = code or 3
    else:
        print("no torch after showing the window while its trainer process built the models")
    # Leave without the interpreter's teardown, where Qt objects that outlive the
    # application can crash it (seen: SIGSEGV after everything above had passed).
    sys.stdout.flush()
    os._exit(code)
    """
)

# Starting a trainer process imports torch: seconds on a loaded 2-core machine.
START_MS = 120_000


@pytest.mark.skipif(sys.platform == "win32", reason="the offscreen platform plugin")
# the default, and a run whose panel is a family's own (the image translators')
@pytest.mark.parametrize("preset", ["ring8", "shapes_pix2pix"])
def test_the_window_process_never_imports_torch(tmp_path, preset):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "settings.ini"), str(START_MS), preset],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,  # this checkout's ganlab
        timeout=START_MS / 1000 + 120,
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "no torch after showing the window while its trainer process built" in out
    assert "trainer ended" in out
