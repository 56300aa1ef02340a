"""A small A-vs-B domain classifier for image-to-image translation metrics. No Qt.

Runs in the trainer (thread or process) that asks for it; owns the tensors it creates.

CycleGAN's views report the share of translated images that "look like" the target
domain: G(A) judged as B, F(B) judged as A. The judge is this classifier, trained once
per data set on the source's own training images (never on generated ones), offline, in
a few seconds on a CPU. It reuses the offline classifier's network and input conversion
(:mod:`ganlab.metrics.classifier`: three strided convolutions, 32-px input) with a
two-class head.

Caching: in memory by the data's fingerprint (a SHA-1 of the uint8 training images it
is trained on), and on disk in ``platformdirs.user_cache_dir("ganlab")/classifiers`` as
``domains-<fingerprint>.pt`` (a plain state dict written atomically, read with
``weights_only=True``; a damaged file is retrained over). The same data always gives the
same classifier, so the share is comparable across runs on one data set.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs
import torch
import torch.nn.functional as F

from ganlab.kernel.checkpoint import load_checkpoint, save_checkpoint
from ganlab.kernel.contracts import DataSource
from ganlab.kernel.errors import CheckpointError
from ganlab.metrics.classifier import ClassifierNet, _prepare_nchw, _to_float

DOMAIN_CLASSIFIER_VERSION = 1
TRAIN_IMAGES = 2048  # per domain, drawn from the source's training stream with SEED
STEPS = 100
BATCH = 32
LEARNING_RATE = 2e-3  # Adam, cosine-annealed to 0
SEED = 20_261_202
_FORMAT = "ganlab-domain-classifier"

_memory: dict[str, DomainClassifier] = {}
_lock = threading.Lock()


class DomainClassifier:
    """P(domain B | image) for images of one translation data set.

    Attributes
    ----------
    net
        :class:`ganlab.metrics.classifier.ClassifierNet` with two outputs (A, B), eval mode.
    channels
        The channels it reads (1 or 3).
    fingerprint
        SHA-1 (hex) of the training images: which data set it judges.
    accuracy
        Accuracy on the source's held-out images (NaN without held-out images).
    """

    def __init__(self, net: ClassifierNet, channels: int, fingerprint: str, accuracy: float):
        self.net = net.eval().requires_grad_(False)
        self.channels = channels
        self.fingerprint = fingerprint
        self.accuracy = accuracy

    def prob_b(self, images: torch.Tensor) -> torch.Tensor:
        """P(B) for float images (N, C, H, W) in [-1, 1] (any device, any side): (N,) on
        the CPU. Images are quantised to uint8 and resized as in training."""
        u8 = ((images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
        x = _to_float(_prepare_nchw(u8, self.channels))
        with torch.no_grad():
            _, logits = self.net(x)
        return torch.softmax(logits, dim=1)[:, 1]

    def state_dict(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "version": DOMAIN_CLASSIFIER_VERSION,
            "channels": self.channels,
            "fingerprint": self.fingerprint,
            "accuracy": float(self.accuracy),
            "net": self.net.state_dict(),
        }


def _training_images(source: DataSource) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 (2 * TRAIN_IMAGES, C, H, W) training images (A then B) and labels 0 / 1."""
    x, _ = source.sample(TRAIN_IMAGES, torch.Generator().manual_seed(SEED))
    u8 = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    images = torch.cat([u8[:, 0], u8[:, 1]])
    labels = torch.cat([torch.zeros(TRAIN_IMAGES), torch.ones(TRAIN_IMAGES)]).long()
    return images, labels


def fingerprint(images: torch.Tensor) -> str:
    """SHA-1 (hex) of a uint8 image tensor's shape and bytes."""
    digest = hashlib.sha1(str(tuple(images.shape)).encode())
    digest.update(images.contiguous().numpy().tobytes())
    return digest.hexdigest()


def train_domain_classifier(source: DataSource) -> DomainClassifier:
    """Train the A-vs-B classifier on ``source``'s training images, deterministically
    (weights under ``torch.random.fork_rng`` seeded with :data:`SEED`; the caller's global
    RNG is left alone). Raises ValueError for a source that is not image-to-image."""
    if not source.spec.is_translation:
        raise ValueError(f"{source.spec.kind} data has no domains")
    channels = source.spec.image_shape[0]
    images, labels = _training_images(source)
    key = fingerprint(images)
    inputs = _prepare_nchw(images, channels)
    gen = torch.Generator().manual_seed(SEED)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(SEED)
        net = ClassifierNet(channels, 2)
    opt = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    net.train()
    for step in range(STEPS):
        for group in opt.param_groups:
            group["lr"] = LEARNING_RATE * 0.5 * (1.0 + math.cos(math.pi * step / STEPS))
        idx = torch.randint(len(inputs), (BATCH,), generator=gen)
        _, logits = net(_to_float(inputs[idx]))
        loss = F.cross_entropy(logits, labels[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    classifier = DomainClassifier(net, channels, key, float("nan"))
    held = source.held_out(256)
    if held is not None:
        p_b = torch.cat([classifier.prob_b(held[:, 0]), classifier.prob_b(held[:, 1])])
        truth = torch.cat([torch.zeros(len(held)), torch.ones(len(held))])
        classifier.accuracy = float(((p_b > 0.5).float() == truth).float().mean())
    return classifier


def cache_file(key: str, cache_dir: str | Path | None = None) -> Path:
    """``<cache_dir>/domains-<key>.pt``; ``cache_dir`` defaults to the user cache's
    ``classifiers`` folder (beside the offline classifier's weights)."""
    root = (
        Path(cache_dir).expanduser()
        if cache_dir
        else Path(platformdirs.user_cache_dir("ganlab")) / "classifiers"
    )
    return root / f"domains-{key[:20]}.pt"


def _from_state(state: dict[str, Any], key: str) -> DomainClassifier:
    if state.get("format") != _FORMAT or state.get("version") != DOMAIN_CLASSIFIER_VERSION:
        raise CheckpointError("not a domain classifier of this version")
    if state.get("fingerprint") != key:
        raise CheckpointError("trained on other data")
    channels = int(state["channels"])
    net = ClassifierNet(channels, 2)
    net.load_state_dict(state["net"])
    return DomainClassifier(net, channels, key, float(state["accuracy"]))


def domain_classifier(source: DataSource, cache_dir: str | Path | None = None) -> DomainClassifier:
    """The classifier for ``source``'s data: from memory, the disk cache, or trained
    (and cached) now. A cache file that cannot be read or written is never an error."""
    images, _ = _training_images(source)
    key = fingerprint(images)
    with _lock:
        found = _memory.get(key)
        if found is not None:
            return found
        path = cache_file(key, cache_dir)
        classifier = None
        if path.is_file():
            try:
                classifier = _from_state(load_checkpoint(path), key)
            except Exception:  # damaged, foreign or outdated: retrain over it
                classifier = None
        if classifier is None:
            classifier = train_domain_classifier(source)
            # A read-only cache: the in-memory copy serves this process.
            with contextlib.suppress(OSError):
                save_checkpoint(classifier.state_dict(), path)
        _memory[key] = classifier
        return classifier


def target_share(classifier: DomainClassifier, images: torch.Tensor, target: int) -> float:
    """Share of ``images`` (N, C, H, W) in [-1, 1] the classifier assigns to domain
    ``target`` (0 = A, 1 = B), in [0, 1]; NaN for no images."""
    if not len(images):
        return float("nan")
    p_b = classifier.prob_b(images)
    judged_b = (p_b > 0.5).float()
    share = judged_b if target == 1 else 1.0 - judged_b
    return float(np.float64(share.mean()))
