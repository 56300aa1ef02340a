"""Image metrics computed away from the GUI and the trainer. Runs in its own thread.

The trainer thread generates the images (``EvaluationSamples``); this computes IS / FID /
KID on them so that neither training nor the window waits. It prefers the standard
Inception-v3 (torch-fidelity, verified weights) and, when those weights are not on this
machine, says so and uses the offline classifier feature space instead: those numbers are
labelled with their feature space and never presented as the Inception ones.

A Python daemon thread rather than a QThread: torch-fidelity cannot be interrupted, and
closing the window must not wait minutes for an evaluation to end. Results reach the GUI
through the signals of a GUI-thread QObject (queued across threads).

Every result also says what it was computed on (:class:`ganlab.metrics.features.SampleReport`
fields): ``n_real``, ``n_fake``, the KID ``kid_subset_size`` and ``kid_subsets`` actually
used, and ``notes`` (FID with N < 2048 is biased upward, grayscale images repeated to RGB,
a data set smaller than the images asked for), as ``ganlab eval images`` prints them.
"""

from __future__ import annotations

import hashlib
import threading
import traceback
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Signal

from ganlab.kernel import reports as rep

# KID subsets asked for (the libraries' defaults); the result says what was actually used.
KID_SUBSET_SIZE = 1000
KID_SUBSETS = 100

# Labelled image sources the offline classifier can be trained on; others use shapes.
_CLASSIFIER_SOURCES = ("shapes", "mnist", "fashion_mnist", "cifar10")


class Evaluation(QObject):
    """One evaluation of image metrics; emits progress, then finished or failed."""

    progress = Signal(str)
    # dict: feature_space, step, metric values (floats), n_real, n_fake, kid_subset_size,
    # kid_subsets (ints or None) and notes (list of str)
    finished = Signal(object)
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
        values = inception.image_metrics(
            s.real,
            s.fake,
            weights=verified.path,
            progress=False,
            kid_subset_size=KID_SUBSET_SIZE,
            kid_subsets=KID_SUBSETS,
        )
        report = inception.image_sample_report(
            s.real,
            s.fake,
            notes=_shortfall(s),
            kid_subset_size=KID_SUBSET_SIZE,
            kid_subsets=KID_SUBSETS,
        )
        return {"feature_space": "inception-v3", **values, **report.fields()}

    def _offline(self, s: rep.EvaluationSamples) -> dict:
        from ganlab.metrics import classifier, features, inception

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
        # Keyed by the images themselves: two image folders share the source name, and a
        # subset of a large set differs from one evaluation to the next.
        digest = hashlib.sha256(s.real.tobytes()).hexdigest()[:16]
        cache = (
            Path(platformdirs.user_cache_dir("ganlab"))
            / "real-features"
            / f"{s.source}-{clf.feature_space.replace(':', '_')}-{len(s.real)}-{digest}.npz"
        )
        values = classifier.offline_metrics(
            s.real,
            s.fake,
            clf,
            real_cache=cache,
            kid_subset_size=KID_SUBSET_SIZE,
            kid_subsets=KID_SUBSETS,
        )
        report = inception.image_sample_report(
            s.real,
            s.fake,
            ("fid", "kid"),
            notes=_shortfall(s),
            rgb_for="the classifier" if c == 3 else None,  # one-channel: read as gray
            plan=features.kid_plan,
            kid_subset_size=KID_SUBSET_SIZE,
            kid_subsets=KID_SUBSETS,
        )
        return {**values, **report.fields()}


def _shortfall(s: rep.EvaluationSamples) -> list[str]:
    """A note when the data set had fewer images than the generated side (all used once)."""
    if len(s.real) >= len(s.fake):
        return []
    return [
        f"real images: asked for {len(s.fake)}, the data set has {len(s.real)}: "
        f"using {len(s.real)}, each once"
    ]
