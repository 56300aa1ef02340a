"""What the trainer computes only for people to look at: view snapshots, the D field,
G's manifold, toy metrics, samples for the latent explorer and for evaluation. No Qt.

Runs in the trainer's thread, on its tensors. ``TrainerViews`` is a base of
``ganlab.engine.trainer.Trainer``: its methods read G and D (in eval mode, mostly
without gradients) and the view fixtures (fixed noise, fixed real samples, grids) made
at build time, draw randomness only from ``view_gen``, and never touch an optimizer,
the data stream or the training noise: a run trains the same with or without views.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from torch import nn

from ganlab.engine.latent import sample_latent
from ganlab.kernel import config as cfg
from ganlab.kernel.contracts import DataSource, DataSpec, Loss, ModelFamily
from ganlab.models.base import display_forward

_IMAGE_FIXED_SAMPLES = 64  # sample grid: 8 x 8, or rows per class
_MANIFOLD_SIDE = 21  # toy manifold: G over a 21 x 21 grid of (z0, z1)
_DENSITY_SAMPLES = 8192  # 1-D: generated samples behind the KDE of p_g
_PCA_SAMPLES = 1024  # images: real samples the projection is fitted on
_FLOOR_SEED = 20_240_611  # toy metrics: the real samples behind the noise floors
_PROBE_Z = 8  # conditional families: noise vectors of the conditioning probe (x labels)
_PAIRS_SHOWN = 8  # image-to-image: the fixed (held-out) pairs the views show
_PROBE_REAL = 256  # real samples behind the probe's within / between-class spreads


@contextmanager
def _eval_mode(module: nn.Module) -> Iterator[None]:
    was_training = module.training
    module.eval()
    try:
        yield
    finally:
        module.train(was_training)


class TrainerViews:
    """The trainer's view side (see the module docstring). Mixed into ``Trainer``.

    It reads these, which ``Trainer`` builds (declared here for the type checker).
    """

    config: cfg.ExperimentConfig
    G: nn.Module
    D: nn.Module
    loss: Loss
    family: ModelFamily
    spec: DataSpec
    source: DataSource
    device: torch.device
    view_gen: torch.Generator
    family_views: Any  # ganlab.models.base.FamilyViews | None
    # conditioning_probe's fixed z and real spreads, made on first use
    _probe: tuple[torch.Tensor, float, float] | None

    def _d_outputs(
        self, x: torch.Tensor, y: torch.Tensor | None, d: nn.Module | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        raise NotImplementedError  # Trainer's

    def _make_view_fixtures(self) -> None:
        """The fixed noise batch, fixed real samples and the toy grid (per segment)."""
        self._density_cache: tuple[object, np.ndarray | None] | None = None
        self._floors: Any = None  # metrics.toy.FloorCache of this source, made on first use
        lc = self.config.loop
        images = self.spec.is_image or self.spec.is_translation
        n = _IMAGE_FIXED_SAMPLES if images else lc.fixed_samples
        k = self.spec.num_classes
        if self.family.conditional and k:
            # Images: one row per class (up to 10 classes, 8 columns); toy: round robin.
            if self.spec.is_image:
                rows = min(k, 10)
                per_row = max(1, n // rows)
                labels = torch.arange(rows).repeat_interleave(per_row)
            else:
                labels = torch.arange(n) % k
            self.fixed_y: torch.Tensor | None = labels.to(self.device)
            n = len(labels)
        else:
            self.fixed_y = None
        self.fixed_z = sample_latent(n, lc.latent_dim, lc.latent_dist, self.view_gen).to(
            self.device
        )
        if self.spec.is_translation:
            # pairs: a few held-out ones (never trained on) where the source keeps them
            held = self.source.held_out(_PAIRS_SHOWN)
            if held is None:
                held, _ = self.source.sample(_PAIRS_SHOWN, self.view_gen)
            real, real_y = held, None
        else:
            n_real = _IMAGE_FIXED_SAMPLES if images else lc.fixed_samples
            real, real_y = self.source.sample(n_real, self.view_gen)
        self.fixed_real = real
        self.fixed_real_y = real_y
        self.grid_axes: list[np.ndarray] = []
        self.grid_points: torch.Tensor | None = None
        if not self.spec.is_image and self.spec.bounds:
            gs = lc.grid_size
            self.grid_axes = [
                np.linspace(lo, hi, gs, dtype=np.float32) for lo, hi in self.spec.bounds
            ]
            if self.spec.kind == "toy1d":
                pts = self.grid_axes[0][:, None]
            else:
                xx, yy = np.meshgrid(self.grid_axes[0], self.grid_axes[1])  # [y, x] layout
                pts = np.stack([xx.ravel(), yy.ravel()], axis=1)
            self.grid_points = torch.from_numpy(pts).to(self.device)
        # 1-D: a large fixed noise batch for the generated density (KDE on the grid).
        self.density_z = (
            sample_latent(_DENSITY_SAMPLES, lc.latent_dim, lc.latent_dist, self.view_gen).to(
                self.device
            )
            if self.spec.kind == "toy1d"
            else None
        )
        self._fit_projection()

    def _fit_projection(self) -> None:
        """Images: PCA fitted once per segment on real images, a fixed 2-D feature space
        in which real and generated samples can be compared as point clouds."""
        self.pca_mean: torch.Tensor | None = None
        self.pca_axes: torch.Tensor | None = None
        self.real_projection: np.ndarray | None = None
        if not self.spec.is_image:
            return
        real, _ = self.source.sample(_PCA_SAMPLES, self.view_gen)
        flat = real.reshape(len(real), -1).float()
        mean = flat.mean(dim=0, keepdim=True)
        # Top two right singular vectors of the centred data = the first two PCA axes.
        _, _, v = torch.pca_lowrank(flat - mean, q=2, center=False, niter=4)
        self.pca_mean, self.pca_axes = mean.to(self.device), v[:, :2].to(self.device)
        self.real_projection = self.project(self.fixed_real).cpu().numpy()

    def project(self, images: torch.Tensor) -> torch.Tensor:
        """Coordinates of ``images`` (N, C, H, W) on the real data's first two PCA axes."""
        assert self.pca_mean is not None
        assert self.pca_axes is not None
        flat = images.to(self.device).reshape(len(images), -1).float()
        return (flat - self.pca_mean) @ self.pca_axes

    def _images_to_uint8(self, x: torch.Tensor) -> np.ndarray:
        """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8 on the host."""
        x = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
        return x.permute(0, 2, 3, 1).cpu().numpy()

    def generate(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """G(z) for display, leaving G's buffers (BN statistics) untouched."""
        with display_forward(self.G):
            return self.G(z.to(self.device), None if y is None else y.to(self.device))

    def discriminate(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """D's output for display (probability or score), in eval mode."""
        with _eval_mode(self.D), torch.no_grad():
            out, _ = self._d_outputs(x.to(self.device), y)
            return self.loss.display(out)

    def _field(self) -> np.ndarray:
        """D's output over the toy grid; conditional D is averaged over the classes."""
        assert self.grid_points is not None
        pts = self.grid_points
        if self.family.conditional:
            k = self.spec.num_classes
            acc = torch.zeros(len(pts), device=self.device)
            for c in range(k):
                acc += self.discriminate(pts, torch.full((len(pts),), c, device=self.device))
            values = acc / k
        else:
            values = self.discriminate(pts)
        gs = len(self.grid_axes[0])
        shape = (gs,) if self.spec.kind == "toy1d" else (gs, gs)
        return values.float().cpu().numpy().reshape(shape)

    def _fake_motion(self, fake: torch.Tensor) -> np.ndarray:
        """-dL_G/dx for each displayed fake sample: the direction G's update pushes it.

        The loss is summed (not averaged) so an arrow does not shrink with the batch size.
        """
        x = fake.detach().clone().requires_grad_(True)
        with _eval_mode(self.D), torch.enable_grad():
            out, _ = self._d_outputs(x, self.fixed_y)
            loss = self.loss.g_loss(out, self.config.loss) * len(x)
            (grad,) = torch.autograd.grad(loss, x)
        return (-grad).float().cpu().numpy()

    def _manifold(self) -> np.ndarray:
        lc = self.config.loop
        span = 2.0 if lc.latent_dist == "gaussian" else 1.0
        axis = torch.linspace(-span, span, _MANIFOLD_SIDE)
        if lc.latent_dim == 1:
            z = axis[:, None]
            shape = (_MANIFOLD_SIDE, 1)
        else:
            zz0, zz1 = torch.meshgrid(axis, axis, indexing="ij")
            z = torch.zeros(_MANIFOLD_SIDE * _MANIFOLD_SIDE, lc.latent_dim)
            z[:, 0], z[:, 1] = zz0.ravel(), zz1.ravel()
            shape = (_MANIFOLD_SIDE, _MANIFOLD_SIDE)
        y = None
        if self.family.conditional:
            y = torch.zeros(len(z), dtype=torch.long)
        out = self.generate(z, y)
        return out.float().cpu().numpy().reshape(*shape, -1)

    def _fake_density(self) -> np.ndarray | None:
        """1-D: gaussian KDE of p_g on the grid from a large fixed noise batch.

        Bandwidth by Silverman's rule, floored at one grid cell so a collapsed generator
        shows as a narrow peak rather than a spike that falls between grid points.
        """
        if self.density_z is None or self.grid_points is None:
            return None
        y = None
        if self.family.conditional:
            y = torch.arange(len(self.density_z), device=self.device) % self.spec.num_classes
        x = self.generate(self.density_z, y).reshape(-1).float()
        grid = self.grid_points.reshape(-1).float()
        cell = float(grid[1] - grid[0]) if len(grid) > 1 else 1.0
        bandwidth = max(1.06 * float(x.std()) * len(x) ** -0.2, cell)
        u = (grid[:, None] - x[None, :]) / bandwidth
        density = torch.exp(-0.5 * u.square()).mean(dim=1) / (bandwidth * math.sqrt(2 * math.pi))
        return density.cpu().numpy()

    def toy_snapshot_arrays(self) -> dict[str, Any]:
        fake = self.generate(self.fixed_z, self.fixed_y)
        return {
            "fake_density": self._fake_density(),
            "fake": fake.float().cpu().numpy(),
            "fake_labels": None if self.fixed_y is None else self.fixed_y.cpu().numpy(),
            "fake_motion": self._fake_motion(fake),
            "field": self._field(),
            "manifold": self._manifold(),
        }

    def image_snapshot_arrays(self) -> dict[str, Any]:
        """The fixed-noise grid, D's outputs on the fixed real and generated batches, and
        the generated batch in the PCA space. Reusing the fixed batches costs one G and two
        D forwards of 64 images per snapshot (no fresh batch), and each point in the
        histograms and the projection is the same individual from frame to frame."""
        fake = self.generate(self.fixed_z, self.fixed_y)
        real_y = self.fixed_real_y if self.family.conditional else None
        return {
            "fake": self._images_to_uint8(fake),
            "fake_labels": None if self.fixed_y is None else self.fixed_y.cpu().numpy(),
            "d_real": self.discriminate(
                self.fixed_real, None if real_y is None else real_y.to(self.device)
            )
            .float()
            .cpu()
            .numpy(),
            "d_fake": self.discriminate(fake, self.fixed_y).float().cpu().numpy(),
            "fake_projection": self.project(fake).cpu().numpy(),
        }

    def toy_metrics(self) -> dict[str, float]:
        """Divergences and mode coverage of G against the data, for a toy source.

        Uses ``DEFAULT_SAMPLES`` fresh generated samples (view generator: training is not
        affected) against the exact data density where the source has one (cached on the
        grid for the segment), else as many real samples. Probability losses also get
        the JSD lower bound implied by D. Values are plain floats (NaN when undefined).
        """
        from ganlab.metrics import toy

        if self.spec.is_image or not self.spec.bounds:
            return {}
        n = toy.DEFAULT_SAMPLES
        lc = self.config.loop
        z = sample_latent(n, lc.latent_dim, lc.latent_dist, self.view_gen)
        y = None
        if self.family.conditional:
            y = torch.randint(0, self.spec.num_classes, (n,), generator=self.view_gen)
        fake_t = self.generate(z, y)
        fake = fake_t.double().cpu().numpy()
        real_t, real_y = self.source.sample(n, self.view_gen)
        real = real_t.double().numpy()
        length_scale = getattr(self.source, "length_scale", None)
        div = toy.grid_divergences(
            real,
            fake,
            self.spec.bounds,
            real_density=self._cached_density,
            length_scale=length_scale,
        )
        if self._floors is None:
            # Its own seeded stream: the floor never shifts training's or the view's draws.
            floor_gen = torch.Generator().manual_seed(_FLOOR_SEED)
            self._floors = toy.FloorCache(
                lambda m: self.source.sample(m, floor_gen)[0].double().numpy(),
                self.spec.bounds,
                real_density=self._cached_density,
                length_scale=length_scale,
            )
        floor = self._floors.get(n, div.bins)
        out: dict[str, float] = {
            "jsd": div.jsd,
            "kl_real_fake": div.kl_real_fake,
            "kl_fake_real": div.kl_fake_real,
            "tv": div.tv,
            "fake_outside": div.fake_outside,
            # the same estimator on two independent samples of the data: the noise floor
            "jsd_floor": floor.jsd,
            "kl_real_fake_floor": floor.kl_real_fake,
            "kl_fake_real_floor": floor.kl_fake_real,
            "tv_floor": floor.tv,
        }
        if self.loss.output_kind == "probability":
            d_y = real_y if self.family.conditional else None
            d_real = self.discriminate(real_t, None if d_y is None else d_y.to(self.device))
            d_fake = self.discriminate(fake_t, None if y is None else y.to(self.device))
            out["d_bound"] = toy.d_lower_bound(
                d_real.double().cpu().numpy(), d_fake.double().cpu().numpy()
            )
        if self.source.modes is not None and self.source.mode_sigma:
            cover = toy.mode_coverage(fake, self.source.modes, self.source.mode_sigma)
            out.update(
                modes_captured=float(cover.modes_captured),
                num_modes=float(cover.num_modes),
                high_quality=cover.high_quality,
                reverse_kl=cover.reverse_kl,
            )
        if self.spec.kind == "toy1d":
            out["w1"] = toy.wasserstein_1d(real[:, 0], fake[:, 0])
        return {k: float(v) for k, v in out.items()}

    def evaluation_samples(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Real and ``n`` generated images as uint8 (N, H, W, C), for image metrics.

        Generated in chunks (bounded memory) from the view generator, so training's own
        random streams are untouched; conditional models get uniformly drawn labels.
        The real images are ``min(n, data set size)`` distinct ones: a random subset, in
        the data set's order, all of them once when it has fewer than ``n`` (so fewer real
        than generated images means the data set is that small). The subset is the same
        at every evaluation, so the numbers over training follow the generator alone.
        """
        if not self.spec.is_image:
            raise ValueError("image metrics need an image experiment")
        lc = self.config.loop
        fakes, reals = [], []
        for start in range(0, n, 250):
            m = min(250, n - start)
            z = sample_latent(m, lc.latent_dim, lc.latent_dist, self.view_gen)
            y = None
            if self.family.conditional:
                y = torch.randint(0, self.spec.num_classes, (m,), generator=self.view_gen)
            fakes.append(self._images_to_uint8(self.generate(z, y)))
        stored = getattr(self.source, "images", None)  # in-memory sets: without replacement
        if isinstance(stored, torch.Tensor):
            fixed = torch.Generator().manual_seed(0)
            pick = torch.randperm(len(stored), generator=fixed)[:n].sort().values
            real = stored[pick].expand(-1, self.spec.shape[0], -1, -1)
            reals = [real.permute(0, 2, 3, 1).contiguous().numpy()]
        else:
            for start in range(0, n, 250):
                sampled, _ = self.source.sample(min(250, n - start), self.view_gen)
                reals.append(self._images_to_uint8(sampled))
        return np.concatenate(reals), np.concatenate(fakes)

    def image_diversity(self) -> tuple[float, float]:
        """(generated, real) diversity: mean pairwise distance of the fixed batches, per
        pixel. A collapsing generator's fixed-noise samples become alike while the real
        batch keeps its spread."""
        fake = self.generate(self.fixed_z, self.fixed_y).reshape(len(self.fixed_z), -1)
        real = self.fixed_real.to(self.device).reshape(len(self.fixed_real), -1)

        def spread(x: torch.Tensor) -> float:
            d = torch.cdist(x.float(), x.float())
            n = len(x)
            return float(d.sum() / max(n * (n - 1), 1) / math.sqrt(x.shape[1]))

        return spread(fake), spread(real)

    def conditioning_probe(self) -> tuple[float, float, float, float]:
        """How much a conditional G's samples depend on z and on the label.

        Generates a fixed grid (per build of the networks) of ``_PROBE_Z`` noise vectors times the
        first ``min(classes, 10)`` labels in one batch, and returns ``(same_label,
        same_z, real_within, real_between)``: the mean pairwise distance (per value) among
        the samples of one label (averaged over labels), among those of one z (averaged
        over z), and, from ``_PROBE_REAL`` fixed real samples, between real samples of
        one class and of different classes. Costs one G forward of at most 80 samples;
        draws nothing from the training or view generators.

        Raises
        ------
        ValueError
            The family is not conditional.
        """
        if not self.family.conditional:
            raise ValueError("the conditioning probe needs a conditional model family")
        if self._probe is None:
            lc = self.config.loop
            gen = torch.Generator().manual_seed(lc.seed + 4)
            z = sample_latent(_PROBE_Z, lc.latent_dim, lc.latent_dist, gen)
            real, real_y = self.source.sample(_PROBE_REAL, gen)
            assert real_y is not None
            flat = real.reshape(len(real), -1).float()
            same = real_y[:, None] == real_y[None, :]
            dist = torch.cdist(flat, flat) / math.sqrt(flat.shape[1])
            off = ~torch.eye(len(flat), dtype=torch.bool)
            within = float(dist[same & off].mean())
            between = float(dist[~same].mean())
            self._probe = (z, within, between)
        z, within, between = self._probe
        k = min(self.spec.num_classes, 10)
        y = torch.arange(k).repeat_interleave(_PROBE_Z)
        x = self.generate(z.repeat(k, 1), y).float().reshape(k, _PROBE_Z, -1)

        def spread(groups: torch.Tensor) -> float:
            # (G, n, D): mean pairwise distance within each group, averaged over groups
            n = groups.shape[1]
            d = torch.cdist(groups, groups) / math.sqrt(groups.shape[2])
            return float(d.sum() / (groups.shape[0] * n * (n - 1)))

        return spread(x), spread(x.transpose(0, 1)), within, between

    def _cached_density(self, x: np.ndarray) -> np.ndarray | None:
        """The source's exact density, remembered for the last grid it was asked about.

        The metrics grid is the same all segment long, and some densities (curves)
        are integrals that take a second on a 400 x 400 grid.
        """
        key = (x.shape, float(x.flat[0]), float(x.flat[-1])) if x.size else None
        cached = self._density_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        value = self.source.density(x)
        self._density_cache = (key, value)
        return value

    def samples_for(
        self, z: np.ndarray | None, n: int, labels: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """G at the given latent vectors (or ``n`` random ones): (z, samples, labels).
        ValueError for a family without a latent z (an image translator)."""
        if not self.family.latent:
            raise ValueError(
                f"model family '{self.family.name}' has no latent z: its G translates images"
            )
        lc = self.config.loop
        if z is None:
            zt = sample_latent(max(n, 1), lc.latent_dim, lc.latent_dist, self.view_gen)
        else:
            zt = torch.as_tensor(np.asarray(z, dtype=np.float32))
            if zt.ndim != 2 or zt.shape[1] != lc.latent_dim:
                raise ValueError(
                    f"latent vectors must have shape (M, {lc.latent_dim}), got {tuple(zt.shape)}"
                )
        yt = None
        if self.family.conditional:
            if labels is None:
                yt = torch.zeros(len(zt), dtype=torch.long)
            else:
                yt = torch.as_tensor(np.asarray(labels, dtype=np.int64))
        out = self.generate(zt, yt)
        samples = self._images_to_uint8(out) if self.spec.is_image else out.float().cpu().numpy()
        return zt.numpy(), samples, None if yt is None else yt.numpy()

    def panel_name(self) -> str:
        """The window panel that shows this run: the family's own, else the data kind's."""
        return self.family.panel or self.spec.kind

    def panel_snapshot(self) -> tuple[dict[str, Any], dict[str, float]]:
        """A family with views of its own: its panel's arrays and values."""
        assert self.family_views is not None
        return self.family_views.snapshot()

    def panel_answer(self, what: str, params: dict[str, Any]) -> dict[str, Any]:
        """A family's answer to a RequestPanel (ValueError when it cannot answer)."""
        if self.family_views is None:
            raise ValueError(f"model family '{self.family.name}' has no panel requests")
        return self.family_views.answer(what, params)

    def quality_metrics(self) -> dict[str, float]:
        """What the metrics panel plots: the family's held-out measures where it has
        them, else the toy divergences (empty for images, measured on demand)."""
        if self.family_views is not None:
            found = self.family_views.metrics()
            if found:
                return found
        return self.toy_metrics()

    def fixed_real_for_view(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The fixed real samples the views show: toy (N, dim) float32; images (N, H, W,
        C) uint8; image pairs (N, 2, H, W, C) uint8 (A then B)."""
        real = self.fixed_real
        if self.spec.is_translation:
            n, two = real.shape[:2]
            flat = self._images_to_uint8(real.reshape(n * two, *real.shape[2:]))
            return flat.reshape(n, two, *flat.shape[1:]), None
        arr = self._images_to_uint8(real) if self.spec.is_image else real.float().numpy()
        labels = None if self.fixed_real_y is None else self.fixed_real_y.numpy()
        return arr, labels

    def real_density_on_grid(self) -> np.ndarray | None:
        if self.grid_points is None:
            return None
        dens = self.source.density(self.grid_points.cpu().numpy())
        if dens is None:
            return None
        gs = len(self.grid_axes[0])
        shape = (gs,) if self.spec.kind == "toy1d" else (gs, gs)
        return np.asarray(dens, dtype=np.float32).reshape(shape)
