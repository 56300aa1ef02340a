"""Shared test set-up: offscreen Qt, small deterministic experiments."""

from __future__ import annotations

import dataclasses
import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from ganlab.kernel import config as cfg
from ganlab.kernel import i18n


def tiny_config(
    source: str = "ring8_teaching",
    family: str = "mlp",
    loss: str = "non_saturating",
    **loop: object,
) -> cfg.ExperimentConfig:
    """A fast experiment: small networks, small batches, CPU, one thread."""
    base = cfg.ExperimentConfig(
        name="test",
        data=cfg.DataConfig(source=source, image_size=28, channels=1, size=256),
        model=cfg.ModelConfig(
            family=family,
            g_hidden=16,
            d_hidden=16,
            g_layers=1,
            d_layers=1,
            base_channels=8,
            embed_dim=4,
        ),
        loss=cfg.LossConfig(name=loss),
        loop=cfg.LoopConfig(
            batch_size=16,
            latent_dim=4 if source == "shapes" else 2,
            device="cpu",
            threads=1,
            fixed_samples=64,
            grid_size=16,
        ),
    )
    if loop:
        base = dataclasses.replace(base, loop=dataclasses.replace(base.loop, **loop))
    return base


@pytest.fixture
def tiny() -> cfg.ExperimentConfig:
    return tiny_config()


@pytest.fixture
def spanish(qapp):
    """The window's (Qt) and the engine's (gettext) Spanish catalogues, for one test."""
    from importlib import resources

    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(
        str(resources.files("ganlab.resources") / "translations" / "ganlab_es.qm")
    )
    qapp.installTranslator(translator)
    i18n.set_language("es")
    yield translator
    qapp.removeTranslator(translator)
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _automatic_garbage_collection_after_each_test():
    """A main window turns the automatic collector off while it is open (its GUI thread
    collects); a test that never closes one must not leave the rest without it."""
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Tests read English messages whatever the machine's locale; a test may switch."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(autouse=True)
def _no_dangling_qt_threads_or_timers(request, monkeypatch):
    """Fail a Qt test that leaves a QThread running or a QTimer active when it ends.

    Records every QThread / QTimer started from Python during the test (napari's
    approach); widgets registered with qtbot are closed before this check runs.
    """
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QThread, QTimer

    started_threads: list[QThread] = []
    started_timers: list[QTimer] = []
    thread_start, timer_start = QThread.start, QTimer.start

    def record_thread(self, *args, **kwargs):
        started_threads.append(self)
        return thread_start(self, *args, **kwargs)

    def record_timer(self, *args, **kwargs):
        started_timers.append(self)
        return timer_start(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", record_thread)
    monkeypatch.setattr(QTimer, "start", record_timer)
    yield
    running = [t for t in started_threads if _alive(t, "isRunning")]
    active = [t for t in started_timers if _alive(t, "isActive")]
    assert not running, f"test left {len(running)} QThread(s) running: {running}"
    assert not active, f"test left {len(active)} QTimer(s) active: {active}"


def _alive(obj, method: str) -> bool:
    try:
        return bool(getattr(obj, method)())
    except RuntimeError:  # the C++ object was already deleted: certainly not running
        return False


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory, monkeypatch):
    """Runs the window records (its user data folder) go to a test folder, never the
    user's own."""
    monkeypatch.setenv("GANLAB_DATA_DIR", str(tmp_path_factory.mktemp("ganlab-data")))


@pytest.fixture(autouse=True)
def _no_process_left_behind():
    """Fail a test that leaves a child process running (a trainer, a torchrun rank)."""
    import psutil

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    left = [p for p in me.children(recursive=True) if p.pid not in before]
    _gone, alive = psutil.wait_procs(left, timeout=5)
    for p in alive:
        p.kill()
    assert not alive, f"the test left processes running: {[p.pid for p in alive]}"
