"""The window's link to a trainer: its own trainer process, or a run it attaches to.

GUI thread, except each link's reader, which runs in its own thread and only emits
signals (queued to the GUI thread's slots).

* :class:`ProcessLink` starts the window's own trainer as a separate process
  (``ganlab trainer``: the CLI, so the frozen build runs it too) and talks to it through
  the authenticated channel (``ganlab.engine.channel``). A crash, a kill or an
  out-of-memory death of that process leaves the window standing: the link says what
  happened in plain words (``lost``).
* :class:`AttachLink` joins a run that something else started: a headless
  ``ganlab train`` or rank 0 of a ``torchrun`` job. Leaving it leaves the run training.
* :class:`ThreadLink` runs the loop in a thread of the window's process, as the lab did
  before the trainer had a process of its own. It starts in no time, which the window's
  many behaviour tests use; the lab itself uses processes.

All links carry the same commands and reports, so the controller does not know which
one it drives.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

import ganlab
from ganlab.engine.channel import ChannelError, TrainerClient
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import i18n
from ganlab.kernel import reports as rep

# Lines of the trainer's log quoted when it dies.
LOG_TAIL_LINES = 8


class TrainerLink(QObject):
    """What the controller needs from a trainer, wherever it runs.

    Signals are emitted in the GUI thread's event loop (queued from the reader).
    """

    report_ready = Signal(object)  # rep.Report
    # The trainer went away without being asked to: a message for a person.
    lost = Signal(str)
    finished = Signal()  # the trainer has ended (after its last report and any ``lost``)

    kind: ClassVar[str] = ""  # "process", "attach", "thread"
    run_dir: Path | None = None
    info: rep.TrainerInfo | None = None

    def start(
        self,
        config: cfg.ExperimentConfig,
        *,
        resume_from: str | None = None,
        first_segment: int = 0,
    ) -> None:
        raise NotImplementedError

    def send(self, command: cmd.Command) -> None:
        raise NotImplementedError

    def stop(self, timeout_ms: int = 2000) -> bool:
        """End the trainer (or leave an attached run); True if done within the timeout."""
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    @property
    def controllable(self) -> bool:
        """Whether commands that change training are accepted (False: watch only)."""
        return self.info.control if self.info is not None else True


# ---------------------------------------------------------------------- thread


class ThreadLink(TrainerLink):
    """The loop in a QThread of this process (see the module docstring)."""

    kind = "thread"

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.inbox: queue.Queue[cmd.Command] = queue.Queue()
        self._thread: QThread | None = None
        self._worker: QObject | None = None

    def start(
        self,
        config: cfg.ExperimentConfig,
        *,
        resume_from: str | None = None,
        first_segment: int = 0,
    ) -> None:
        from ganlab.app.worker import TrainerWorker

        self.inbox = queue.Queue()
        self._thread = QThread()
        self._thread.setObjectName("ganlab-trainer")
        worker = TrainerWorker(
            config, self.inbox, resume_from=resume_from, first_segment=first_segment
        )
        self._worker = worker
        worker.moveToThread(self._thread)
        self._thread.started.connect(worker.run)
        worker.report_ready.connect(self.report_ready)
        # Direct: quit() is thread-safe, and a queued call would wait for the GUI event loop,
        # which is blocked in stop()'s wait() when the window closes.
        worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self._thread.start()

    def send(self, command: cmd.Command) -> None:
        self.inbox.put(command)

    def stop(self, timeout_ms: int = 2000) -> bool:
        thread = self._thread
        if thread is None:
            return True
        self.inbox.put(cmd.Stop())
        finished = thread.wait(timeout_ms)
        if finished:
            self._release()
        return finished

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _on_thread_finished(self) -> None:
        self._release()
        self.finished.emit()

    def _release(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
        if self._thread is not None:
            self._thread.deleteLater()
        self._worker = None
        self._thread = None


# ---------------------------------------------------------------------- channel


class _ChannelLink(TrainerLink):
    """A trainer across the channel; the reader thread turns reports into signals."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._client: TrainerClient | None = None
        self._pending: list[cmd.Command] = []  # sent before the channel was open
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self._leaving = False  # stop() was called: an end is not a loss
        self.taken_over = False  # another window attached to the run and replaced this one

    def send(self, command: cmd.Command) -> None:
        with self._lock:
            if self._client is None:
                self._pending.append(command)
                return
            client = self._client
        client.send(command)

    def is_running(self) -> bool:
        return self._reader is not None and self._reader.is_alive()

    def _start_reader(self) -> None:
        self._leaving = False
        self._reader = threading.Thread(target=self._read, name="ganlab-link", daemon=True)
        self._reader.start()

    def _connected(self, client: TrainerClient) -> None:
        with self._lock:
            self._client = client
            pending, self._pending = self._pending, []
        for command in pending:
            client.send(command)

    def _read(self) -> None:
        why = ""
        try:
            client = self._open()
            self._connected(client)
            while True:
                report = client.recv()
                if isinstance(report, rep.TrainerInfo):
                    self.info = report
                    continue
                if isinstance(report, rep.TakenOver):
                    self.taken_over = True
                    break
                self.report_ready.emit(report)
        except EOFError:
            pass
        except ChannelError as exc:
            why = str(exc)
        except Exception as exc:  # nothing may escape the reader thread
            why = QCoreApplication.translate(
                "TrainerLink", "The link to the trainer failed: {error}"
            ).format(error=exc)
        with self._lock:
            client_, self._client = self._client, None
        if client_ is not None:
            client_.close()
        if self.taken_over:
            why = QCoreApplication.translate(
                "TrainerLink",
                "Another window attached to this run and took it over: this window no "
                "longer shows it. Its curves stay here; attach again with File › Attach "
                "to run.",
            )
        if not self._leaving or self.taken_over:
            self.lost.emit(why or self._why_ended())
        self.finished.emit()

    def _open(self) -> TrainerClient:
        raise NotImplementedError

    def _why_ended(self) -> str:
        return QCoreApplication.translate("TrainerLink", "The trainer ended.")

    def _join_reader(self, timeout_s: float) -> None:
        reader = self._reader
        if reader is not None and reader is not threading.current_thread():
            reader.join(timeout_s)


class ProcessLink(_ChannelLink):
    """The window's own trainer in its own process (see the module docstring).

    Parameters
    ----------
    runs_folder
        Where the window's run directories go (one per trainer started).
    previous_run
        The run directory of the trainer this one replaces: started from one of its
        checkpoints, the new trainer records into it.
    """

    kind = "process"

    def __init__(
        self, runs_folder: Path, parent: QObject | None = None, *, previous_run: Path | None = None
    ):
        super().__init__(parent)
        self.runs_folder = Path(runs_folder)
        self.run_dir = previous_run  # a restart from one of its checkpoints continues there
        self.process: subprocess.Popen[str] | None = None
        self._log: Path | None = None

    def start(
        self,
        config: cfg.ExperimentConfig,
        *,
        resume_from: str | None = None,
        first_segment: int = 0,
    ) -> None:
        from ganlab.kernel.rundir import default_run_dir

        previous = self.run_dir
        if resume_from and previous is not None and Path(resume_from).is_relative_to(previous):
            run_dir = previous  # restarting from its own checkpoint: the run goes on there
        else:
            run_dir = default_run_dir(config, self.runs_folder)
            run_dir.mkdir(parents=True)
        self.run_dir = run_dir
        self.info = None
        self._log = run_dir / "trainer.log"
        args = ["trainer", "--out", str(run_dir), "--first-segment", str(first_segment)]
        if resume_from:
            args += ["--resume-from", str(resume_from)]
        language = i18n.language()
        if language:
            args += ["--lang", language]
        with open(self._log, "ab") as log:
            self.process = subprocess.Popen(
                trainer_command(args),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                encoding="utf-8",
                env=_child_environment(),
                # Its own session: a Ctrl+C in the window's terminal reaches the window,
                # which stops its trainer with a checkpoint, not the trainer mid-step.
                start_new_session=sys.platform != "win32",
            )
        self._config_toml = cfg.dumps(config)
        self._start_reader()

    def _open(self) -> TrainerClient:
        process = self.process
        assert process is not None
        assert process.stdin is not None
        assert process.stdout is not None
        with contextlib.suppress(OSError):
            process.stdin.write(self._config_toml)
            process.stdin.close()
        line = process.stdout.readline()  # blocks until the trainer listens, or dies
        if not line.startswith("ganlab-trainer-ready"):
            raise EOFError("the trainer ended before it was ready")
        assert self.run_dir is not None
        return TrainerClient.connect(self.run_dir)

    def stop(self, timeout_ms: int = 2000) -> bool:
        """Ask the trainer to stop; after ``timeout_ms`` end it. True if it stopped itself."""
        process = self.process
        if process is None:
            return True
        self._leaving = True
        self.send(cmd.Stop())
        in_time = True
        try:
            process.wait(timeout_ms / 1000)
        except subprocess.TimeoutExpired:
            in_time = False
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._join_reader(2.0)
        self.process = None
        return in_time

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def keep_training(self) -> None:
        """Leave the run training in the background; this window no longer owns it."""
        self._leaving = True
        with self._lock:
            client = self._client
        if client is not None:
            client.detach(keep_training=True)
        self._join_reader(2.0)
        self.process = None  # it lives on: no longer ours to stop

    def _why_ended(self) -> str:
        process = self.process
        code = None
        if process is not None:
            try:
                code = process.wait(5)
            except subprocess.TimeoutExpired:
                code = None
        return describe_exit(code, self._log)


class AttachLink(_ChannelLink):
    """A run started elsewhere (see the module docstring); ``start`` ignores its config."""

    kind = "attach"

    def __init__(self, run_dir: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        self.run_dir = Path(run_dir)

    def start(
        self,
        config: cfg.ExperimentConfig,
        *,
        resume_from: str | None = None,
        first_segment: int = 0,
    ) -> None:
        self._start_reader()

    def _open(self) -> TrainerClient:
        assert self.run_dir is not None
        return TrainerClient.connect(self.run_dir)

    def stop(self, timeout_ms: int = 2000) -> bool:
        """Leave the run: it goes on training."""
        self._leaving = True
        with self._lock:
            client = self._client
        if client is not None:
            client.detach(keep_training=True)
        self._join_reader(timeout_ms / 1000)
        return True

    def _why_ended(self) -> str:
        return QCoreApplication.translate(
            "TrainerLink",
            "The run has ended (it finished, or its trainer was stopped). Its curves stay "
            "here; its run directory is {path}.",
        ).format(path=self.run_dir)


# ---------------------------------------------------------------------- helpers


def trainer_command(args: list[str]) -> list[str]:
    """The command line that runs ``ganlab ARGS`` with this installation's Python (or the
    frozen lab's own executable). ``-P``: the current folder is not put first on the
    module path, so a ``ganlab/`` folder there (a source checkout the lab was started in)
    cannot stand in for the package the window runs (:func:`_child_environment` points
    the trainer at that one)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-P", "-m", "ganlab", *args]


def _child_environment() -> dict[str, str]:
    """The trainer's environment: the window's, without its Qt platform, and with the
    folder that holds the window's own ``ganlab`` package first on PYTHONPATH, so both
    processes run the same code whatever folder the lab was started in."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the trainer opens no window
    if not getattr(sys, "frozen", False):
        package_parent = str(Path(ganlab.__file__).resolve().parent.parent)
        rest = env.get("PYTHONPATH", "")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, rest) if p)
    return env


def describe_exit(code: int | None, log: Path | None) -> str:
    """A plain sentence on how a trainer process ended, with the end of its log."""
    if code is None:
        what = QCoreApplication.translate("TrainerLink", "The trainer process stopped answering.")
    elif code < 0:
        number = -code
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        if number == getattr(signal, "SIGKILL", -1):
            what = QCoreApplication.translate(
                "TrainerLink",
                "The trainer process was killed ({signal}): the system may have run out of "
                "memory, or someone ended it.",
            ).format(signal=name)
        elif number == getattr(signal, "SIGSEGV", -1):
            what = QCoreApplication.translate(
                "TrainerLink",
                "The trainer process crashed ({signal}), inside torch or a device driver.",
            ).format(signal=name)
        else:
            what = QCoreApplication.translate(
                "TrainerLink", "The trainer process was ended by signal {signal}."
            ).format(signal=name)
    elif code == 0:
        what = QCoreApplication.translate("TrainerLink", "The trainer process ended.")
    else:
        what = QCoreApplication.translate(
            "TrainerLink", "The trainer process failed (exit status {code})."
        ).format(code=code)
    tail = _log_tail(log)
    if tail:
        what += "\n" + QCoreApplication.translate("TrainerLink", "Its last words:") + "\n" + tail
    return what


def _log_tail(log: Path | None) -> str:
    if log is None:
        return ""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = deque((line.rstrip() for line in f if line.strip()), maxlen=LOG_TAIL_LINES)
    except OSError:
        return ""
    return "\n".join(lines)
