"""The window's trainer in its own process, and runs the window attaches to: real processes.

Each test starts real trainer processes (``ganlab trainer`` / ``ganlab train``); the
shared fixture in tests/conftest.py fails any test that leaves one behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from ganlab.app.main_window import MainWindow
from ganlab.engine.channel import ENDPOINT_FILE
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from tests.conftest import tiny_config

# Starting a trainer process imports torch: seconds on a loaded 2-core machine.
START_MS = 60_000
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _is_scalars(report: object) -> bool:
    return isinstance(report, rep.ScalarBatch) and len(report) > 0


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def own(qtbot, settings):
    """A window whose trainer runs in its own process, built and paused."""
    win = MainWindow(tiny_config(), settings=settings, link="process")
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.controller.segment_started, timeout=START_MS):
        win.show()
    yield win
    win.close()


def test_the_window_trains_in_a_process_of_its_own(qtbot, own):
    link = own.controller.link
    assert link is not None
    assert link.kind == "process"
    assert link.process is not None
    assert link.process.pid != os.getpid()
    assert link.process.poll() is None
    with qtbot.waitSignal(
        own.controller.report_received, timeout=START_MS, check_params_cb=_is_scalars
    ):
        own.controller.play()
    assert own.controller.session.step > 0


def test_the_trainer_runs_the_window_s_ganlab_whatever_folder_the_lab_started_in(
    qtbot, settings, tmp_path, monkeypatch
):
    """Started in a folder holding another ``ganlab/`` (a source checkout without its
    resources, say), the trainer still imports the package the window runs."""
    decoy = tmp_path / "here" / "ganlab"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise ImportError('the ganlab of the current folder')\n")
    (decoy / "__main__.py").write_text("raise SystemExit(7)\n")
    monkeypatch.chdir(decoy.parent)
    win = MainWindow(tiny_config(), settings=settings, link="process")
    qtbot.addWidget(win)
    lost: list[str] = []
    win.controller.trainer_lost.connect(lost.append)
    with qtbot.waitSignal(win.controller.segment_started, timeout=START_MS):
        win.show()
    assert not lost
    win.close()


@posix_only
def test_the_terminal_s_ctrl_c_reaches_the_window_not_its_trainer(own):
    """The trainer has its own session: a terminal's SIGINT goes to the window's process
    group only, and the window stops its trainer (with a checkpoint) itself."""
    trainer = own.controller.link.process.pid
    assert os.getpgid(trainer) != os.getpgid(0)
    assert os.getsid(trainer) == trainer


def test_the_window_s_run_is_recorded_under_the_user_data_folder(qtbot, own):
    from ganlab.kernel.rundir import window_runs_folder

    run_dir = own.controller.last_run_dir
    assert run_dir is not None
    assert run_dir.parent == window_runs_folder()
    assert cfg.load(run_dir / "experiment.toml").name == "test"
    with qtbot.waitSignal(
        own.controller.report_received, timeout=START_MS, check_params_cb=_is_scalars
    ):
        own.controller.play()
    own.controller.pause()
    own.close()
    assert (run_dir / "metrics.jsonl").stat().st_size > 0


def test_closing_the_window_ends_its_trainer(qtbot, own):
    process = own.controller.link.process
    own.controller.play()
    own.close()
    assert process.poll() is not None  # ended by itself, or ended after the 2 s timeout


@posix_only
def test_a_hung_trainer_is_ended_when_the_window_closes(qtbot, own):
    """A trainer stuck inside torch never reads Stop: the window ends it after the wait."""
    process = own.controller.link.process
    os.kill(process.pid, signal.SIGSTOP)  # frozen, as in a stuck kernel
    try:
        assert not own.controller.stop(300)  # it could not stop by itself ...
        assert process.poll() is not None  # ... so it was ended
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)


@posix_only
def test_a_killed_trainer_leaves_the_window_standing_with_its_curves(qtbot, own):
    with qtbot.waitSignal(
        own.controller.report_received, timeout=START_MS, check_params_cb=_is_scalars
    ):
        own.controller.play()
    own.controller.pause()
    steps_before = len(own.controller.session.steps)
    process = own.controller.link.process
    with qtbot.waitSignal(own.controller.trainer_lost, timeout=START_MS) as lost:
        os.kill(process.pid, signal.SIGKILL)
    why = lost.args[0]
    assert "killed" in why
    assert "SIGKILL" in why
    assert own.isVisible()
    assert len(own.controller.session.steps) == steps_before
    box = own._lost_box
    assert isinstance(box, QMessageBox)
    assert box.isVisible()
    # Restarting starts a new process and a new segment.
    fresh = next(b for b in box.buttons() if b.text() == "Restart from step 0")
    with qtbot.waitSignal(own.controller.segment_started, timeout=START_MS):
        fresh.click()
    assert own.controller.link.process.pid != process.pid
    assert own.controller.link.process.poll() is None


@posix_only
def test_a_killed_trainer_restarts_from_its_last_checkpoint(qtbot, own, tmp_path):
    with qtbot.waitSignal(
        own.controller.report_received, timeout=START_MS, check_params_cb=_is_scalars
    ):
        own.controller.play()
    own.controller.pause()
    with qtbot.waitSignal(own.controller.checkpoint_saved, timeout=START_MS):
        own.controller.send(cmd.SaveCheckpoint())
    process = own.controller.link.process
    with qtbot.waitSignal(own.controller.trainer_lost, timeout=START_MS):
        os.kill(process.pid, signal.SIGKILL)
    resume = next(b for b in own._lost_box.buttons() if "checkpoint" in b.text())
    saved_step = int(resume.text().split("step ")[1].rstrip(")"))
    with qtbot.waitSignal(
        own.controller.segment_started,
        timeout=START_MS,
        check_params_cb=lambda info: info.reason == "checkpoint" and info.step > 0,
    ):
        resume.click()
    # The curves up to the checkpoint came back from the run's metrics.jsonl.
    steps = own.controller.session.series()[0]
    assert len(steps) > 0
    assert steps[-1] == saved_step


def _headless_run(tmp_path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    experiment = tmp_path / "tiny.toml"
    cfg.save(tiny_config(), experiment)
    out = tmp_path / "run"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ganlab",
            "train",
            str(experiment),
            "--steps",
            "1000000",
            "--out",
            str(out),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:  # the run says where to attach once it serves
        if "--attach" in line:
            break
    else:
        raise AssertionError("the headless run ended before it served")
    assert (out / ENDPOINT_FILE).exists()
    return process, str(out)


def _attached(qtbot, settings, run_dir: str) -> MainWindow:
    """A window attached to ``run_dir``, shown once the run announced its segment to it."""
    win = MainWindow(tiny_config(), settings=settings, attach_to=run_dir)
    qtbot.addWidget(win)
    with qtbot.waitSignal(
        win.controller.segment_started,
        timeout=START_MS,
        check_params_cb=lambda info: info.reason == "attach",
    ):
        win.show()
    return win


def _end(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)  # as Ctrl+C: the run writes its last checkpoint
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


@posix_only
def test_a_window_attaches_to_a_headless_run_and_the_panels_move(qtbot, settings, tmp_path):
    process, run_dir = _headless_run(tmp_path)
    try:
        win = _attached(qtbot, settings, run_dir)
        with qtbot.waitSignal(
            win.controller.report_received, timeout=START_MS, check_params_cb=_is_scalars
        ):
            pass  # a headless run trains on its own
        first = win.controller.session.step
        with qtbot.waitSignal(
            win.controller.report_received,
            timeout=START_MS,
            check_params_cb=lambda r: _is_scalars(r) and r.steps[-1] > first,
        ):
            pass
        assert "attached to" in win.windowTitle()
        # Control passes through the channel: pause it from the window.
        with qtbot.waitSignal(
            win.controller.state_changed,
            timeout=START_MS,
            check_params_cb=lambda state: state == "paused",
        ):
            win.controller.pause()
        win.close()
        # The window left; the run is still there, alive (and training again).
        assert process.poll() is None
    finally:
        _end(process)


@posix_only
def test_an_attached_window_cannot_throw_the_run_s_networks_away(qtbot, settings, tmp_path):
    from ganlab.kernel import config as kcfg

    process, run_dir = _headless_run(tmp_path)
    try:
        win = _attached(qtbot, settings, run_dir)
        assert not win.reset_action.isEnabled()
        assert not win.load_ckpt_action.isEnabled()
        assert win.stop_run_action.isVisible()
        assert win.play_action.isEnabled()
        assert win.controls.is_locked("model.family")  # rebuilds the networks
        assert not win.controls.is_locked("optimizer_d.lr")  # a live setting
        assert "model.family" in kcfg.rebuild_keys()
        win.close()
    finally:
        _end(process)


@posix_only
def test_a_second_window_takes_the_run_over_and_the_first_says_so(qtbot, settings, tmp_path):
    process, run_dir = _headless_run(tmp_path)
    try:
        first = MainWindow(tiny_config(), settings=settings, attach_to=run_dir)
        qtbot.addWidget(first)
        with qtbot.waitSignal(first.controller.segment_started, timeout=START_MS):
            first.show()
        second = MainWindow(tiny_config(), settings=settings, attach_to=run_dir)
        qtbot.addWidget(second)
        said: list[str] = []
        first.controller.trainer_lost.connect(said.append)
        with qtbot.waitSignals(
            [
                first.controller.trainer_lost,
                first.controller.thread_finished,
                second.controller.segment_started,
            ],
            timeout=START_MS,
        ):
            second.show()
        assert len(said) == 1
        assert "took it over" in said[0]
        assert not first.play_action.isEnabled()  # nothing there acts on the run any more
        assert second.controller.is_running()
        assert process.poll() is None
        second.close()
        first.close()
    finally:
        _end(process)


@posix_only
def test_a_read_only_run_ignores_the_window_s_controls(qtbot, settings, tmp_path):
    process, run_dir = _headless_run(tmp_path, "--read-only")
    try:
        win = _attached(qtbot, settings, run_dir)
        assert not win.controller.controllable
        assert not win.play_action.isEnabled()
        win.close()
    finally:
        _end(process)
