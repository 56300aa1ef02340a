"""A trainer process: runs the loop, records the run, serves windows. No Qt.

Runs in the trainer's own process. Its main thread drives ``loop.run``; the channel's
threads accept windows and put their commands into the loop's inbox.

Two entry points:

* :func:`serve` wraps any loop's reports (a headless ``ganlab train``, rank 0 of a
  ``torchrun`` job) so an attached window receives each one.
* :func:`run_window_trainer` is the whole process a window starts for its own run
  (``ganlab trainer``, hidden from the command list): it reads the experiment from
  standard input, records under the given run directory, says it is ready on standard
  output, and ends when its window says Stop or goes away without ``Detach``, or on
  SIGTERM (:func:`stop_on_signals`: through the recorder, with its last checkpoint).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ganlab.engine.channel import TrainerServer
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.i18n import _

# The line a window's trainer prints on standard output once it listens.
READY_LINE = "ganlab-trainer-ready"

# A window's own trainer records its last good state this often (seconds of training), so
# that when its process dies the window can restart from at most this far back.
GOOD_STATE_ON_DISK_EVERY_S = 30.0

# A window's own trainer that no window has attached to after this long ends: its window
# died while starting, and nothing may be left behind.
ORPHAN_TIMEOUT_S = 120.0


def serve(reports: Iterable[rep.Report], server: TrainerServer | None) -> Iterator[rep.Report]:
    """Yield each report after sending it to the window attached to ``server``, if any."""
    for report in reports:
        if server is not None:
            server.publish(report)
        yield report


@contextlib.contextmanager
def stop_on_signals(
    inbox: queue.Queue[cmd.Command],
    signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM),
    *,
    on_first: Callable[[int], None] | None = None,
) -> Iterator[threading.Event]:
    """While the block runs, the first of ``signals`` asks the loop to stop (``Stop`` into
    its inbox), so that it ends as usual: through the recorder, with its last checkpoint.

    Yields an event set once a signal asked to stop. A second SIGINT raises
    ``KeyboardInterrupt`` (Ctrl+C twice quits at once); a second SIGTERM changes nothing.
    The old handlers come back when the block ends. Only the main thread may install
    signal handlers: elsewhere the block runs without them.

    Parameters
    ----------
    on_first
        Called with the signal number after the first signal (in a helper thread, not
        in the signal handler: it may print).
    """
    stopping = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stopping
        return

    def ask_to_stop(signum: int) -> None:
        if on_first is not None:
            on_first(signum)
        inbox.put(cmd.Stop())

    def handler(signum: int, _frame: object) -> None:
        if stopping.is_set():
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            return
        stopping.set()
        # Not here: the handler may run while this thread holds the inbox's lock (or the
        # console's), and taking it again would hang. A helper thread waits for it.
        threading.Thread(
            target=ask_to_stop, args=(signum,), name="ganlab-stop", daemon=True
        ).start()

    old = {signum: signal.getsignal(signum) for signum in signals}
    for signum in signals:
        signal.signal(signum, handler)
    try:
        yield stopping
    finally:
        for signum, previous in old.items():
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)


def attach_handlers(
    inbox: queue.Queue[cmd.Command], *, owned: bool
) -> tuple[Callable[[], None], Callable[[bool], None]]:
    """The channel callbacks of a trainer: a window turns the views on; a window leaving
    turns them off, and stops a window's own run unless it asked to keep it training."""

    def on_attach() -> None:
        inbox.put(cmd.SetViews(True))

    def on_detach(keep_training: bool) -> None:
        inbox.put(cmd.SetViews(False))
        if owned and not keep_training:
            inbox.put(cmd.Stop())
        elif not owned:
            # A window that paused a headless run and left must not leave it paused for
            # ever: nobody else can press Play.
            inbox.put(cmd.Play())

    return on_attach, on_detach


def run_window_trainer(
    config: cfg.ExperimentConfig,
    run_path: Path,
    *,
    resume_from: str | None = None,
    first_segment: int = 0,
) -> int:
    """The process a window starts for its own run. Returns the exit status (0).

    Parameters
    ----------
    config
        The experiment, as the window has it.
    run_path
        The run directory to record into (created if needed).
    resume_from
        A checkpoint file to continue from.
    first_segment
        Number the first segment at least this (a restarted trainer continues after
        the segments its window has seen).
    """
    from ganlab.engine.channel import served_runs
    from ganlab.engine.loop import run as run_loop
    from ganlab.engine.recorder import drive, window_recorder

    # Older window runs are pruned to the bound, never one a trainer serves now.
    recorder = window_recorder(
        config, folder=run_path.parent, path=run_path, keep=served_runs(run_path.parent)
    )
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    on_attach, on_detach = attach_handlers(inbox, owned=True)
    attached = threading.Event()

    def on_owner_attach() -> None:
        # The loop starts with its views on for the window that started it; only a
        # window that attaches later (after "Close, keep training") asks for them.
        if attached.is_set():
            on_attach()
        attached.set()

    server = TrainerServer(
        run_path, inbox, control=True, owned=True, on_attach=on_owner_attach, on_detach=on_detach
    )
    print(READY_LINE, flush=True)
    # Nothing else goes to standard output: the window reads only the ready line.
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # The loop waits for its window, so that the window sees every report from the first.
    if not attached.wait(ORPHAN_TIMEOUT_S):
        server.close()
        recorder.close()
        return 0
    # SIGTERM (a session ending, a supervisor) stops as the window's Stop does: with the
    # run's last checkpoint.
    try:
        with stop_on_signals(inbox, (signal.SIGTERM,)):
            reports = drive(
                run_loop(
                    config,
                    inbox,
                    start_paused=True,
                    snapshot_ack=True,
                    recording=True,
                    resume_from=resume_from,
                    at_limit="pause",  # the window never dead-ends at loop.steps
                    first_segment=first_segment,
                    good_state_every_s=GOOD_STATE_ON_DISK_EVERY_S,
                ),
                recorder,
            )
            for _report in serve(reports, server):
                pass
    except Exception as exc:  # say it to the window before the process ends
        server.publish(
            rep.TrainingError(
                -1,
                0,
                _("The trainer stopped unexpectedly: {error}").format(error=exc),
                traceback.format_exc(),
                recoverable=False,
            )
        )
        raise
    finally:
        server.close()
        recorder.close()
    return 0
