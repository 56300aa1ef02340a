"""The trainer thread's object: drives the training loop and emits its reports.

``TrainerWorker`` is moved to a QThread; its ``run`` slot executes there and owns every
tensor (the loop builds the trainer inside this thread). It talks to the GUI only through
``report_ready``, a ``Signal(object)`` whose receivers are @Slot methods of GUI-thread
objects, so the connection is queued. Errors cross the boundary as reports: ``run``
catches everything and always emits ``finished``.
"""

from __future__ import annotations

import queue
import traceback

from PySide6.QtCore import QObject, Signal, Slot

from ganlab.engine.loop import run
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep


class TrainerWorker(QObject):
    """Runs ``ganlab.engine.loop.run`` in its thread and emits each report."""

    report_ready = Signal(object)
    finished = Signal()

    def __init__(
        self,
        config: cfg.ExperimentConfig,
        inbox: queue.Queue[cmd.Command],
        *,
        resume_from: str | None = None,
        first_segment: int = 0,
    ):
        super().__init__()
        self._config = config
        self._inbox = inbox
        self._resume_from = resume_from
        self._first_segment = first_segment

    @Slot()
    def run(self) -> None:
        try:
            for report in run(
                self._config,
                self._inbox,
                start_paused=True,
                snapshot_ack=True,
                resume_from=self._resume_from,
                at_limit="pause",  # the window never dead-ends at loop.steps
                first_segment=self._first_segment,
            ):
                self.report_ready.emit(report)
        except BaseException as exc:  # nothing may escape the thread (-1: any segment)
            self.report_ready.emit(
                rep.TrainingError(
                    -1,
                    0,
                    f"The trainer stopped unexpectedly: {exc}",
                    traceback.format_exc(),
                    recoverable=False,
                )
            )
            self.report_ready.emit(rep.StateChanged(-1, "stopped", 0))
        finally:
            self.finished.emit()
