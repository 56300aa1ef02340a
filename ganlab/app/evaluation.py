"""Image metrics computed away from the GUI and the trainer. Runs in its own thread.

The trainer thread generates the images (``EvaluationSamples``); this computes IS / FID /
KID on them so that neither training nor the window waits. It prefers the standard
Inception-v3 (torch-fidelity, verified weights) and, when those weights are not on this
machine, says so and uses the offline classifier feature space instead: those numbers are
labelled with their feature space and never presented as the Inception ones.

A Python daemon thread rather than a QThread: torch-fidelity cannot be interrupted, and
closing the window must not wait minutes for an evaluation to end. Results reach the GUI
through the signals of a GUI-thread QObject (queued across threads).
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Signal

from ganlab.core import reports as rep

# Labelled image sources the offline classifier can be trained on; others use shapes.
_CLASSIFIER_SOURCES = ("shapes", "mnist", "fashion_mnist", "cifar10")


class Evaluation(QObject):
    """One evaluation of image metrics; emits progress, then finished or failed."""

    progress = Signal(str)
    finished = Signal(object)  # dict: feature_space, step, metric values
    failed = Signal(str)

    def __init__(self, samples: rep.EvaluationSamples, weights: str | None = None):
        super().__init__()
        self._samples = samples
        self._weights = weights
        self._thread = threading.Thread(target=self._run, name="ganlab-evaluation", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        s = self._samples
        try:
            result = self._inception(s) or self._offline(s)
        except Exception as exc:  # reported, never raised into Qt
            self.failed.emit(f"{exc}\n{traceback.format_exc()}")
            return
        result["step"] = s.step
        self.finished.emit(result)

    def _inception(self, s: rep.EvaluationSamples) -> dict | None:
        from ganlab.metrics import inception

        try:
            verified = inception.verify_weights(inception.weights_path(self._weights))
        except inception.WeightsError as exc:
            self.progress.emit(
                self.tr(
                    "No usable Inception-v3 weights ({reason}); using the offline classifier "
                    "features instead."
                ).format(reason=str(exc))
            )
            return None
        self.progress.emit(
            self.tr("Computing IS, FID and KID with Inception-v3 on {n} images…").format(
                n=len(s.fake)
            )
        )
        values = inception.image_metrics(s.real, s.fake, weights=verified.path, progress=False)
        return {"feature_space": "inception-v3", **values}

    def _offline(self, s: rep.EvaluationSamples) -> dict:
        from ganlab.metrics import classifier

        source = s.source if s.source in _CLASSIFIER_SOURCES else "shapes"
        self.progress.emit(
            self.tr(
                "Preparing the offline classifier for '{source}' (trained once, then cached)…"
            ).format(source=source)
        )
        c = s.real.shape[3]
        clf = classifier.load_or_train(source, 32, 3 if c == 3 else 1)
        self.progress.emit(
            self.tr(
                "Computing FID and KID in the classifier's feature space on {n} images…"
            ).format(n=len(s.fake))
        )
        cache = (
            Path(platformdirs.user_cache_dir("ganlab"))
            / "real-features"
            / f"{s.source}-{clf.feature_space.replace(':', '_')}-{len(s.real)}.npz"
        )
        return classifier.offline_metrics(s.real, s.fake, clf, real_cache=cache)
