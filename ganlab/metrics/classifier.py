"""An offline feature space for image metrics: a small classifier ganlab trains itself.

No Qt; runs in any worker thread; owns the tensors it creates.

The Inception metrics (:mod:`ganlab.metrics.inception`) need published weights that must
be downloaded once. This module is the stand-in for a machine that never goes online: a
small CNN trained here, on a labelled image source of ganlab's own (the bundled
``shapes`` set by default), whose 128-d penultimate activations are the features that
FID and KID are computed on. Its numbers are **not** Inception numbers and are never
comparable with them, nor with those of a classifier trained on another source, size or
recipe: every result carries the :attr:`OfflineClassifier.feature_space` it was computed
in (for example ``"classifier:shapes-32-3-v1"``), every metric key is prefixed
``classifier_``, and :class:`~ganlab.metrics.features.FeatureStats` refuse to compare
statistics from different spaces.

Owns:

* the network (:class:`ClassifierNet`) and the conversion of any uint8 ``(N, H, W, C)``
  image batch to its input (resized to :data:`INPUT_SIZE` pixels, gray <-> RGB);
* training it deterministically from a seed (:func:`train_classifier`), with the
  held-out accuracy kept on the result;
* the weights cache in ``platformdirs.user_cache_dir("ganlab")/classifiers``
  (:func:`cache_path`, :func:`load_or_train`): a plain state dict written atomically and
  read with ``torch.load(weights_only=True)``; a damaged or foreign file is retrained
  over, with the reason reported, never a crash;
* the metrics in that space (:func:`offline_metrics`, :func:`classifier_score`). The
  distance arithmetic itself is :func:`ganlab.metrics.features.fid` / ``kid``.

Determinism: the weights are initialised under ``torch.random.fork_rng`` seeded with
``seed`` (the caller's global RNG is left untouched) and every batch index and
augmentation draw comes from one ``torch.Generator`` seeded with ``seed``, so two
trainings in the same environment (CPU, same torch and thread count) give the same
weights.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
import torch
import torch.nn.functional as F
from numpy.typing import ArrayLike, NDArray
from torch import nn

from ganlab.kernel.checkpoint import load_checkpoint, save_checkpoint
from ganlab.kernel.config import DataConfig
from ganlab.kernel.errors import CheckpointError, GanlabError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import _
from ganlab.kernel.registry import DATA_SOURCES
from ganlab.metrics.features import FeatureStats, fid, kid

__all__ = [
    "CLASSIFIER_VERSION",
    "DEFAULT_STEPS",
    "FEATURE_DIM",
    "FEATURE_SPACE_PREFIX",
    "INPUT_SIZE",
    "ClassifierError",
    "ClassifierNet",
    "OfflineClassifier",
    "cache_path",
    "classifier_score",
    "label_agreement",
    "load_or_train",
    "offline_metrics",
    "train_classifier",
]

FEATURE_SPACE_PREFIX = "classifier"
# Bump when the architecture, the input conversion or the training recipe changes: cached
# weights of another version are retrained over, and the feature space name changes.
CLASSIFIER_VERSION = 1
FEATURE_DIM = 128  # width of the penultimate layer: the features
INPUT_SIZE = 32  # every image is resized to this side before the network sees it
DEFAULT_STEPS = 500
BATCH_SIZE = 64
LEARNING_RATE = 3e-3  # Adam, cosine-annealed to 0 over the steps
GRAY_AUGMENT = 0.25  # RGB classifiers: share of training images shown in gray
HELD_OUT_MAX = 2000  # held-out images: a fifth of the set, at most this many
MIN_IMAGES = 50
_EVAL_BATCH = 512
_CACHE_FORMAT = "ganlab-offline-classifier"
# ITU-R 601 luma, as PIL's convert("L") and ganlab.data.base.prepare_images.
_LUMA = (0.299, 0.587, 0.114)

Float64Array = NDArray[np.float64]
ProgressCallback = Callable[[int, int], None]
LogCallback = Callable[[str], None]


class ClassifierError(GanlabError):
    """The offline classifier cannot be trained on a source, or is given unusable images."""


# --------------------------------------------------------------------------- network


class ClassifierNet(nn.Module):
    """Three strided convolutions, a 128-d penultimate layer and a linear class head.

    Parameters
    ----------
    channels
        Input channels, 1 or 3.
    num_classes
        Number of classes of the head.

    ``forward(x)`` takes float32 ``(N, channels, 32, 32)`` in ``[-1, 1]`` and returns
    ``(features, logits)``: the activations of the penultimate layer ``(N, 128)`` times
    the buffer ``feature_scale``, and the class logits ``(N, num_classes)`` (computed
    from the unscaled activations).

    The penultimate layer uses a leaky ReLU: with a plain ReLU about half of the 128
    units end up never active on ``shapes``, which would waste feature dimensions.
    ``feature_scale`` is set after training so that the mean of ``|f|^2 / 128`` over
    the held-out images is 1: KID's kernel ``(x.y / d + 1)^3`` is meant for features of
    order 1 (raw activations give ``x.y / d`` of about 20, where the cubic term swamps
    the estimate with noise). It is one fixed number per trained network, saved with
    the weights.
    """

    feature_scale: torch.Tensor

    def __init__(self, channels: int, num_classes: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 4, stride=2, padding=1),  # 32 -> 16
            nn.ReLU(),
            nn.Conv2d(32, 64, 4, stride=2, padding=1),  # 16 -> 8
            nn.ReLU(),
            nn.Conv2d(64, 64, 4, stride=2, padding=1),  # 8 -> 4
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(64 * (INPUT_SIZE // 8) ** 2, FEATURE_DIM),
            nn.LeakyReLU(0.2),
        )
        self.head = nn.Linear(FEATURE_DIM, num_classes)
        self.register_buffer("feature_scale", torch.ones(()))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.body(x)
        return hidden * self.feature_scale, self.head(hidden)


def _to_channels(x: torch.Tensor, channels: int) -> torch.Tensor:
    """Float ``(N, C, H, W)`` with C in {1, 3, 4} -> C = ``channels`` (alpha dropped)."""
    if x.shape[1] == 4:
        x = x[:, :3]
    if x.shape[1] == channels:
        return x
    if channels == 3:
        return x.expand(-1, 3, -1, -1)
    luma = torch.tensor(_LUMA, dtype=x.dtype).view(1, 3, 1, 1)
    return (x * luma).sum(dim=1, keepdim=True)


def _prepare_nchw(images: torch.Tensor, channels: int) -> torch.Tensor:
    """uint8 ``(N, C, H, W)`` -> uint8 ``(N, channels, 32, 32)``: the classifier's input.

    Gray -> RGB repeats the channel, RGB -> gray takes the luma; resizing is bilinear with
    antialiasing; values are rounded back to uint8, so training and evaluation see the
    same quantisation.
    """
    n, c, h, w = images.shape
    if c == channels and h == INPUT_SIZE and w == INPUT_SIZE:
        return images.contiguous()
    out = torch.empty((n, channels, INPUT_SIZE, INPUT_SIZE), dtype=torch.uint8)
    for start in range(0, n, _EVAL_BATCH):
        chunk = _to_channels(images[start : start + _EVAL_BATCH].to(torch.float32), channels)
        if h != INPUT_SIZE or w != INPUT_SIZE:
            chunk = F.interpolate(
                chunk,
                size=(INPUT_SIZE, INPUT_SIZE),
                mode="bilinear",
                align_corners=False,
                antialias=True,
            )
        out[start : start + _EVAL_BATCH] = chunk.round().clamp_(0, 255).to(torch.uint8)
    return out


def _as_nchw_uint8(images: ArrayLike | torch.Tensor) -> torch.Tensor:
    """Check a uint8 ``(N, H, W, C)`` (or gray ``(N, H, W)``) batch; return it as NCHW."""
    arr = images.numpy(force=True) if isinstance(images, torch.Tensor) else np.asarray(images)
    if arr.dtype != np.uint8:
        raise ClassifierError(
            _("images must be uint8 in [0, 255] of shape (N, H, W, C), got dtype {dtype}").format(
                dtype=arr.dtype
            )
        )
    if arr.ndim == 3:
        arr = arr[..., None]
    if arr.ndim != 4 or arr.shape[3] not in (1, 3, 4):
        raise ClassifierError(
            _("images must have shape (N, H, W, C) with C = 1, 3 or 4, got {shape}").format(
                shape=arr.shape
            )
        )
    if arr.shape[1] < 1 or arr.shape[2] < 1:
        raise ClassifierError(_("images have no pixels (shape {shape})").format(shape=arr.shape))
    return torch.from_numpy(np.ascontiguousarray(arr.transpose(0, 3, 1, 2)))


def _to_float(batch: torch.Tensor) -> torch.Tensor:
    """uint8 network input -> float32 in [-1, 1]."""
    return batch.to(torch.float32).div_(127.5).sub_(1.0)


# --------------------------------------------------------------------------- classifier


@dataclass(frozen=True)
class _Recipe:
    """What determines the weights besides the source: compared on every cache load."""

    seed: int = 0
    steps: int = DEFAULT_STEPS
    data_size: int = 0  # images drawn from the source; 0 = the source's default

    @property
    def is_default(self) -> bool:
        return self == _Recipe()


class OfflineClassifier:
    """A trained offline classifier: features and class probabilities of uint8 images.

    Build one with :func:`train_classifier` or :func:`load_or_train`. The network is in
    eval mode with gradients off and is only read after construction, so one instance
    can serve several threads.

    Attributes
    ----------
    source_name, image_size, channels
        The labelled source and image format it was trained on.
    class_names
        The source's class names, one per output.
    accuracy
        Accuracy on images held out from training, in [0, 1].
    seed, steps, data_size
        The training recipe.
    train_seconds
        Wall time of the training (0 when loaded from the cache).
    origin
        ``"trained"`` or ``"cache"``.
    note
        Why a cached file was not used (empty when it was, or when there was none).
    """

    def __init__(
        self,
        net: ClassifierNet,
        *,
        source_name: str,
        image_size: int,
        channels: int,
        class_names: tuple[str, ...],
        accuracy: float,
        seed: int = 0,
        steps: int = DEFAULT_STEPS,
        data_size: int = 0,
        train_seconds: float = 0.0,
        origin: str = "trained",
        note: str = "",
    ):
        self.net = net.eval().requires_grad_(False)
        self.source_name = source_name
        self.image_size = int(image_size)
        self.channels = int(channels)
        self.class_names = tuple(class_names)
        self.accuracy = float(accuracy)
        self.seed = int(seed)
        self.steps = int(steps)
        self.data_size = int(data_size)
        self.train_seconds = float(train_seconds)
        self.origin = origin
        self.note = note

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def _recipe(self) -> _Recipe:
        return _Recipe(seed=self.seed, steps=self.steps, data_size=self.data_size)

    @property
    def feature_space(self) -> str:
        """Name of the feature space, e.g. ``"classifier:shapes-32-3-v1"``.

        Source, image size, channels and version; a non-default recipe adds
        ``-seed<S>-steps<T>-n<N>``. Features and statistics are comparable only within
        one name.
        """
        name = (
            f"{FEATURE_SPACE_PREFIX}:{self.source_name}-{self.image_size}-{self.channels}"
            f"-v{CLASSIFIER_VERSION}"
        )
        if not self._recipe.is_default:
            name += f"-seed{self.seed}-steps{self.steps}-n{self.data_size}"
        return name

    def outputs(
        self, images_uint8: ArrayLike | torch.Tensor, batch_size: int = _EVAL_BATCH
    ) -> tuple[Float64Array, Float64Array]:
        """:meth:`features` and :meth:`probabilities` of the same images in one pass.

        Results are repeatable for a given ``batch_size``; another batch size changes
        them by float32 round-off only (about 1e-6).
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        x = _prepare_nchw(_as_nchw_uint8(images_uint8), self.channels)
        feats = np.empty((x.shape[0], FEATURE_DIM), dtype=np.float64)
        probs = np.empty((x.shape[0], self.num_classes), dtype=np.float64)
        with torch.no_grad():
            for start in range(0, x.shape[0], batch_size):
                f, logits = self.net(_to_float(x[start : start + batch_size]))
                feats[start : start + batch_size] = f.double().numpy()
                probs[start : start + batch_size] = torch.softmax(logits.double(), 1).numpy()
        return feats, probs

    def features(
        self, images_uint8: ArrayLike | torch.Tensor, batch_size: int = _EVAL_BATCH
    ) -> Float64Array:
        """Penultimate activations of uint8 ``(N, H, W, C)`` images (any size, C 1/3/4).

        Returns
        -------
        numpy.ndarray
            float64 ``(N, 128)``, in :attr:`feature_space`.

        Raises
        ------
        ClassifierError
            Not uint8, or not shaped ``(N, H, W, C)`` / ``(N, H, W)``.
        """
        return self.outputs(images_uint8, batch_size)[0]

    def probabilities(
        self, images_uint8: ArrayLike | torch.Tensor, batch_size: int = _EVAL_BATCH
    ) -> Float64Array:
        """Class probabilities ``p(y|x)`` of uint8 ``(N, H, W, C)`` images.

        Returns
        -------
        numpy.ndarray
            float64 ``(N, num_classes)``, rows summing to 1.
        """
        return self.outputs(images_uint8, batch_size)[1]

    def stats(self, images_uint8: ArrayLike | torch.Tensor) -> FeatureStats:
        """:class:`FeatureStats` of the images' features, tagged with :attr:`feature_space`."""
        return FeatureStats.from_features(self.features(images_uint8), self.feature_space)

    # ---- cache format

    def state_dict(self) -> dict[str, Any]:
        """Tensors and primitives only, loadable with ``torch.load(weights_only=True)``."""
        return {
            "meta": {
                "format": _CACHE_FORMAT,
                "version": CLASSIFIER_VERSION,
                "source": self.source_name,
                "image_size": self.image_size,
                "channels": self.channels,
                "input_size": INPUT_SIZE,
                "feature_dim": FEATURE_DIM,
                "class_names": list(self.class_names),
                "accuracy": self.accuracy,
                "seed": self.seed,
                "steps": self.steps,
                "data_size": self.data_size,
            },
            "weights": {k: v.detach().clone() for k, v in self.net.state_dict().items()},
        }

    @classmethod
    def from_state_dict(
        cls,
        state: Mapping[str, Any],
        source_name: str,
        image_size: int,
        channels: int,
        *,
        seed: int = 0,
        steps: int = DEFAULT_STEPS,
        data_size: int = 0,
    ) -> OfflineClassifier:
        """Rebuild a classifier from :meth:`state_dict` after checking it fits the request.

        The source, format and recipe (``seed``, ``steps``, ``data_size``) recorded in the
        state must equal the ones asked for.

        Raises
        ------
        ClassifierError
            The state is not a ganlab classifier, is of another version, source, format or
            recipe, or its weights do not fit the network. The message says which.
        """
        meta = state.get("meta")
        weights = state.get("weights")
        if not isinstance(meta, Mapping) or not isinstance(weights, Mapping):
            raise ClassifierError(_("not a ganlab offline-classifier file (no meta / weights)"))
        if meta.get("format") != _CACHE_FORMAT:
            raise ClassifierError(
                _("not a ganlab offline-classifier file ({format})").format(
                    format=repr(meta.get("format"))
                )
            )
        if meta.get("version") != CLASSIFIER_VERSION:
            raise ClassifierError(
                _("written by classifier version {version}, this is version {current}").format(
                    version=repr(meta.get("version")), current=CLASSIFIER_VERSION
                )
            )
        want: dict[str, Any] = {
            "source": source_name,
            "image_size": image_size,
            "channels": channels,
            "input_size": INPUT_SIZE,
            "feature_dim": FEATURE_DIM,
        }
        want.update(seed=seed, steps=steps, data_size=data_size)
        for key, value in want.items():
            if meta.get(key) != value:
                raise ClassifierError(
                    _("trained with {key} = {value}, wanted {wanted}").format(
                        key=key, value=repr(meta.get(key)), wanted=repr(value)
                    )
                )
        names = meta.get("class_names")
        if (
            not isinstance(names, list)
            or len(names) < 2
            or not all(isinstance(n, str) for n in names)
        ):
            raise ClassifierError(_("class_names is missing or not a list of at least 2 names"))
        accuracy = meta.get("accuracy")
        if not isinstance(accuracy, float) or not 0.0 <= accuracy <= 1.0:
            raise ClassifierError(
                _("accuracy {value} is not a number in [0, 1]").format(value=repr(accuracy))
            )
        net = ClassifierNet(channels, len(names))
        expected = net.state_dict()
        if set(weights) != set(expected):
            raise ClassifierError(_("the weights do not match the network's layers"))
        for key, tensor in weights.items():
            if not isinstance(tensor, torch.Tensor) or tensor.shape != expected[key].shape:
                raise ClassifierError(
                    _("weight {key} has the wrong type or shape").format(key=repr(key))
                )
            if not torch.isfinite(tensor).all():
                raise ClassifierError(
                    _("weight {key} holds NaN or infinite values").format(key=repr(key))
                )
        if not float(weights["feature_scale"]) > 0.0:
            raise ClassifierError(_("feature_scale is not positive"))
        net.load_state_dict({k: v.to(torch.float32) for k, v in weights.items()})
        return cls(
            net,
            source_name=source_name,
            image_size=image_size,
            channels=channels,
            class_names=tuple(names),
            accuracy=accuracy,
            seed=seed,
            steps=steps,
            data_size=data_size,
            origin="cache",
        )


# --------------------------------------------------------------------------- training


def _labelled_images(
    source_name: str, image_size: int, channels: int, data_size: int, seed: int
) -> tuple[torch.Tensor, torch.Tensor, tuple[str, ...]]:
    """The source's images as classifier input (uint8 NCHW) with their labels and names.

    An in-memory image set (``.images`` / ``.labels``, as :class:`ImageTensorSource`) is
    used item by item, so the held-out split is disjoint from the training images. Other
    sources are sampled (``data_size`` or 10000 draws); a draw may repeat an image.
    """
    entry = DATA_SOURCES.get(source_name)
    if entry.kind != "image":
        raise ClassifierError(
            _(
                "the offline classifier needs a labelled image source; '{source}' is {kind} data"
            ).format(source=source_name, kind=entry.kind)
        )
    config = DataConfig(
        source=source_name, image_size=image_size, channels=channels, size=data_size
    )
    source = entry.build(config)
    names = tuple(source.spec.class_names)
    if source.spec.num_classes < 2 or len(names) != source.spec.num_classes:
        raise ClassifierError(
            _(
                "the offline classifier needs labels of at least 2 classes; '{source}' has {count}"
            ).format(source=source_name, count=source.spec.num_classes)
        )
    stored = getattr(source, "images", None)
    stored_labels = getattr(source, "labels", None)
    if (
        isinstance(stored, torch.Tensor)
        and isinstance(stored_labels, torch.Tensor)
        and stored.dtype == torch.uint8
        and stored.ndim == 4
    ):
        images, labels = stored, stored_labels.to(torch.int64)
        if data_size > 0:
            images, labels = images[:data_size], labels[:data_size]
    else:
        draws = data_size if data_size > 0 else 10_000
        x, y = source.sample(draws, torch.Generator().manual_seed(seed))
        if y is None:
            raise ClassifierError(_("'{source}' returned no labels").format(source=source_name))
        images = ((x.clamp(-1.0, 1.0) + 1.0) * 127.5).round().to(torch.uint8)
        labels = y.to(torch.int64)
    if len(labels) != len(images) or labels.min() < 0 or labels.max() >= len(names):
        raise ClassifierError(
            _("'{source}' gave labels outside 0..{last} or not one per image").format(
                source=source_name, last=len(names) - 1
            )
        )
    if len(images) < MIN_IMAGES:
        raise ClassifierError(
            _("'{source}' has {count} images; the classifier needs {minimum}").format(
                source=source_name, count=len(images), minimum=MIN_IMAGES
            )
        )
    return _prepare_nchw(images, channels), labels, names


def _evaluate(
    net: ClassifierNet, images: torch.Tensor, labels: torch.Tensor
) -> tuple[float, float]:
    """Accuracy and mean ``|f|^2 / d`` of the (unscaled) features on held-out images."""
    correct = 0
    square = 0.0
    with torch.no_grad():
        for start in range(0, len(images), _EVAL_BATCH):
            feats, logits = net(_to_float(images[start : start + _EVAL_BATCH]))
            correct += int((logits.argmax(dim=1) == labels[start : start + _EVAL_BATCH]).sum())
            square += float(feats.double().square().sum())
    n = max(len(images), 1)
    return correct / n, square / (n * FEATURE_DIM)


def train_classifier(
    source_name: str = "shapes",
    image_size: int = 32,
    channels: int = 3,
    steps: int = DEFAULT_STEPS,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    *,
    data_size: int = 0,
) -> OfflineClassifier:
    """Train the offline classifier on a labelled image source, deterministically.

    Parameters
    ----------
    source_name
        A registered image source with labels (``shapes`` is bundled and offline).
    image_size, channels
        The source's image format. The network always sees 32-px images of ``channels``
        channels (resized as :meth:`OfflineClassifier.features` does).
    steps
        Adam steps of :data:`BATCH_SIZE` images; the learning rate is cosine-annealed.
        The default (500) takes a few seconds on a 2-core CPU.
    seed
        Seeds the initial weights, the held-out split and every batch.
    progress
        Called as ``progress(done, steps)`` after each step, in this thread. An exception
        it raises stops the training and propagates (the caller's way to cancel).
    data_size
        Images taken from the source (0 = its default; ``shapes`` has 12000). A fifth,
        at most 2000, is held out to measure the accuracy.

    Returns
    -------
    OfflineClassifier
        With :attr:`~OfflineClassifier.accuracy` the held-out accuracy.

    Raises
    ------
    ClassifierError
        The source is not an image source, has no labels, or too few images.
    GanlabError
        The source is unknown (ConfigError) or cannot be built (DataError).
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}")
    start_time = time.perf_counter()
    images, labels, names = _labelled_images(source_name, image_size, channels, data_size, seed)
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = ClassifierNet(channels, len(names))
    order = torch.randperm(len(images), generator=gen)
    n_held = min(HELD_OUT_MAX, len(images) // 5)
    held, train = order[:n_held], order[n_held:]
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    luma = torch.tensor(_LUMA).view(1, 3, 1, 1)
    net.train()
    for step in range(steps):
        lr = LEARNING_RATE * 0.5 * (1.0 + math.cos(math.pi * step / steps))
        for group in optimizer.param_groups:
            group["lr"] = lr
        idx = train[torch.randint(len(train), (BATCH_SIZE,), generator=gen)]
        x = _to_float(images[idx])
        gray = torch.rand(BATCH_SIZE, generator=gen) < GRAY_AUGMENT  # drawn for any format
        if channels == 3:
            x = torch.where(gray.view(-1, 1, 1, 1), (x * luma).sum(1, keepdim=True), x)
        _, logits = net(x)
        loss = F.cross_entropy(logits, labels[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if progress is not None:
            progress(step + 1, steps)
    net.eval()
    accuracy, mean_square = _evaluate(net, images[held], labels[held])
    net.feature_scale.fill_(1.0 / math.sqrt(max(mean_square, 1e-12)))
    return OfflineClassifier(
        net,
        source_name=source_name,
        image_size=image_size,
        channels=channels,
        class_names=names,
        accuracy=accuracy,
        seed=seed,
        steps=steps,
        data_size=data_size,
        train_seconds=time.perf_counter() - start_time,
        origin="trained",
    )


# --------------------------------------------------------------------------- cache

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def cache_path(
    source_name: str, image_size: int, channels: int, cache_dir: str | Path | None = None
) -> Path:
    """Where the weights for a source and format are cached.

    Returns
    -------
    Path
        ``<cache_dir>/<source>-<size>-<channels>.pt``, where ``cache_dir`` defaults to
        ``platformdirs.user_cache_dir("ganlab") / "classifiers"``. Characters other than
        letters, digits, ``_``, ``.`` and ``-`` in the source name become ``_``.
    """
    root = (
        Path(cache_dir).expanduser()
        if cache_dir is not None and str(cache_dir) != ""
        else Path(platformdirs.user_cache_dir("ganlab")) / "classifiers"
    )
    name = _UNSAFE.sub("_", source_name).lstrip(".") or "_"
    return root / f"{name}-{int(image_size)}-{int(channels)}.pt"


def load_or_train(
    source_name: str = "shapes",
    image_size: int = 32,
    channels: int = 3,
    cache_dir: str | Path | None = None,
    *,
    steps: int = DEFAULT_STEPS,
    seed: int = 0,
    data_size: int = 0,
    progress: ProgressCallback | None = None,
    log: LogCallback | None = None,
) -> OfflineClassifier:
    """The cached classifier for a source and format, trained and cached when needed.

    Parameters
    ----------
    source_name, image_size, channels
        As :func:`train_classifier`; they name the cache file (:func:`cache_path`).
    cache_dir
        Folder of the cache files; None = ``user_cache_dir("ganlab")/classifiers``.
    steps, seed, data_size, progress
        Passed to :func:`train_classifier`. A cached file trained with another recipe is
        retrained over.
    log
        Called with one line for a person: why a cached file was not used, or why the new
        weights could not be cached. The same reason is kept on the result's
        :attr:`~OfflineClassifier.note`.

    Returns
    -------
    OfflineClassifier
        ``origin == "cache"`` when the file was used, ``"trained"`` otherwise.

    Raises
    ------
    ClassifierError, GanlabError
        Only when training is needed and fails (see :func:`train_classifier`). A damaged,
        foreign, unsafe or outdated cache file is never an error: it is retrained over.
    """
    path = cache_path(source_name, image_size, channels, cache_dir)
    notes: list[str] = []

    def say(line: str) -> None:
        notes.append(line)
        if log is not None:
            log(line)

    if path.is_file():
        try:
            state = load_checkpoint(path)
            return OfflineClassifier.from_state_dict(
                state,
                source_name,
                image_size,
                channels,
                seed=seed,
                steps=steps,
                data_size=data_size,
            )
        except (CheckpointError, ClassifierError) as exc:
            text = str(exc)
            reason = text if text.startswith(str(path)) else f"{path}: {text}"
            say(_("offline classifier cache not used, retraining: {reason}").format(reason=reason))
        except Exception as exc:  # torch.load raises many types on odd bytes: still retrain
            say(
                _(
                    "offline classifier cache not used, retraining: {path}: not a readable "
                    "checkpoint (damaged or another format): {error}"
                ).format(path=path, error=f"{type(exc).__name__}: {exc}")
            )
    classifier = train_classifier(
        source_name, image_size, channels, steps, seed, progress, data_size=data_size
    )
    try:
        save_checkpoint(classifier.state_dict(), path)
    except OSError as exc:
        say(
            _("offline classifier trained but not cached: cannot write {path} ({error})").format(
                path=path, error=exc
            )
        )

    classifier.note = "; ".join(notes)
    return classifier


# --------------------------------------------------------------------------- metrics


def classifier_score(probabilities: ArrayLike) -> float:
    """IS-style score ``exp(E_x KL(p(y|x) || p(y)))`` of class probabilities.

    Computed once over all rows (no splits), with ``p(y)`` the mean of the rows. It is 1
    when every image gets the same class distribution (one class only, or no confident
    prediction) and at most the number of classes (confident and balanced).

    Parameters
    ----------
    probabilities
        ``(N, K)`` rows of ``p(y|x)``, non-negative, summing to 1.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] < 1 or p.shape[1] < 1:
        raise ValueError(f"probabilities must be a non-empty (N, K) array, got {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError("probabilities must be finite and non-negative")
    marginal = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0)
    return float(np.exp(terms.sum(axis=1).mean()))


def label_agreement(
    classifier: OfflineClassifier,
    images_uint8: ArrayLike | torch.Tensor,
    requested: ArrayLike,
) -> tuple[float, Float64Array]:
    """How often a conditional generator made the class it was asked for.

    Parameters
    ----------
    classifier
        Trained on the source the generator learned (its class order is the source's).
    images_uint8
        uint8 ``(N, H, W, C)`` generated images.
    requested
        int ``(N,)``: the label each image was generated for, in ``0..K-1``.

    Returns
    -------
    agreement, confusion
        The share of images whose most probable class is the requested one, in [0, 1]
        (chance is ``1 / K`` for a generator that ignores its label), and the
        ``(K, K)`` confusion matrix: row = requested class, column = recognised class,
        each row summing to 1 (NaN for a class never requested).

    Raises
    ------
    ClassifierError
        ``requested`` is not one label in ``0..K-1`` per image, or the images are unusable.
    """
    labels = np.asarray(requested).reshape(-1)
    k = classifier.num_classes
    n = len(labels)
    if n == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ClassifierError(f"requested must be a non-empty array of int labels, got {labels}")
    if labels.min() < 0 or labels.max() >= k:
        raise ClassifierError(
            f"requested labels must lie in 0..{k - 1}, got {labels.min()}..{labels.max()}"
        )
    recognised = classifier.probabilities(images_uint8).argmax(axis=1)
    if len(recognised) != n:
        raise ClassifierError(f"{len(recognised)} images for {n} requested labels")
    counts = np.zeros((k, k), dtype=np.float64)
    np.add.at(counts, (labels, recognised), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        confusion = counts / counts.sum(axis=1, keepdims=True)
    return float((recognised == labels).mean()), confusion


def offline_metrics(
    real_uint8: ArrayLike | torch.Tensor,
    fake_uint8: ArrayLike | torch.Tensor,
    classifier: OfflineClassifier,
    kid_subset_size: int = 1000,
    kid_subsets: int = 100,
    seed: int = 0,
    *,
    real_cache: str | Path | None = None,
) -> dict[str, float | str]:
    """FID, KID and an IS-style score in the offline classifier's feature space.

    These are **not** the Inception metrics and must never be reported or compared as
    such: the features are the 128-d penultimate activations of ganlab's own classifier,
    so the values depend on its source, format and recipe, named by ``feature_space``.
    They are comparable only with values of the same ``feature_space``.

    Parameters
    ----------
    real_uint8, fake_uint8
        uint8 ``(N, H, W, C)`` images (at least 2 of each); any size and channel count.
    classifier
        From :func:`load_or_train` or :func:`train_classifier`.
    kid_subset_size, kid_subsets, seed
        Passed to :func:`ganlab.metrics.features.kid`.
    real_cache
        A ``.npz`` file for the real images' features: read when it exists (and matches
        this feature space and image count), else written. The real data of a data set
        does not change between evaluations, so only the generated side is recomputed.

    Returns
    -------
    dict
        ``feature_space`` (str); ``classifier_fid``; ``classifier_kid_mean`` and
        ``classifier_kid_std``; ``classifier_score`` (:func:`classifier_score` of the
        fake images: near the number of classes for confident, balanced samples, 1 for a
        single class); ``classifier_accuracy`` (the classifier's held-out accuracy, how
        far its features can be trusted).
    """
    real = _real_features(classifier, real_uint8, real_cache)
    fake, fake_probs = classifier.outputs(fake_uint8)
    kid_mean, kid_std = kid(real, fake, subset_size=kid_subset_size, subsets=kid_subsets, seed=seed)
    return {
        "feature_space": classifier.feature_space,
        "classifier_fid": fid(real, fake),
        "classifier_kid_mean": kid_mean,
        "classifier_kid_std": kid_std,
        "classifier_score": classifier_score(fake_probs),
        "classifier_accuracy": classifier.accuracy,
    }


def _real_features(
    classifier: OfflineClassifier,
    real_uint8: ArrayLike | torch.Tensor,
    cache: str | Path | None,
) -> np.ndarray:
    """Features of the real images, from ``cache`` when it holds the same space and count."""
    n = len(real_uint8)  # type: ignore[arg-type]  # an (N, H, W, C) array or tensor
    if cache is not None:
        path = Path(cache)
        try:
            with np.load(path, allow_pickle=False) as data:
                if (
                    str(data["feature_space"]) == classifier.feature_space
                    and len(data["features"]) == n
                ):
                    return np.asarray(data["features"], dtype=np.float64)
        except (OSError, KeyError, ValueError):
            pass  # missing or unusable: recompute and rewrite below
    features = classifier.features(real_uint8)
    if cache is not None:
        path = Path(cache)
        try:
            with atomic_file(path) as fh:
                np.savez(fh, features=features, feature_space=np.array(classifier.feature_space))
        except OSError:
            pass  # a cache that cannot be written only costs time
    return features
