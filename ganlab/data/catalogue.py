"""Every data source, declared: what the window lists and config validation reads.

No Qt, no torch: importing this module (which :data:`ganlab.kernel.registry.DATA_SOURCES`
does on its first lookup, in the window as in the trainer process) registers every
source without reading or generating any data. Each declaration names its builder
through :func:`~ganlab.kernel.registry.lazy`: the source's module (torch, numpy, PIL,
torchvision...) is imported on the first build.

A new source is one declaration here plus a ``build(config: DataConfig) -> DataSource``
in its module. Declaration order is the order the pickers list: toy, points, then
images. tests/data/test_registry.py checks every source; tests/kernel/test_registry_lazy.py
resolves every lazy reference.
"""

from __future__ import annotations

from ganlab.kernel.contracts import DataKind, DataSourceEntry
from ganlab.kernel.i18n import N_
from ganlab.kernel.registry import DATA_SOURCES, lazy


def _declare(
    name: str,
    title: str,
    kind: DataKind,
    builder: str,
    description: str,
    *,
    reads_path: bool = False,
    downloads: bool = False,
) -> None:
    """Register ``name``, built by ``builder`` (``"module:function"``, imported lazily)."""
    DATA_SOURCES.register(
        name,
        DataSourceEntry(
            name=name,
            title=title,
            kind=kind,
            build=lazy(builder),
            description=description,
            reads_path=reads_path,
            downloads=downloads,
        ),
    )


# ------------------------------------------------------------------------- toy (data/toy.py)

_declare(
    "gaussian1d",
    N_("Gaussian (1-D)"),
    "toy1d",
    "ganlab.data.toy:build_gaussian1d",
    N_("One gaussian with mean 2 and standard deviation 0.5."),
)
_declare(
    "bimodal1d",
    N_("Two gaussians (1-D)"),
    "toy1d",
    "ganlab.data.toy:build_bimodal1d",
    N_("An equal mixture of two gaussians at -2 and 2 with standard deviation 0.5."),
)
_declare(
    "uniform1d",
    N_("Uniform (1-D)"),
    "toy1d",
    "ganlab.data.toy:build_uniform1d",
    N_("The uniform distribution on [-1, 1]: flat, with hard edges."),
)
_declare(
    "ring8",
    N_("Ring of 8 gaussians"),
    "toy2d",
    "ganlab.data.toy:build_ring8",
    N_(
        "Eight narrow gaussians (sigma 0.01) on a circle of radius 1: "
        "the classic mode-collapse test."
    ),
)
_declare(
    "ring8_teaching",
    N_("Ring of 8 gaussians (wide)"),
    "toy2d",
    "ganlab.data.toy:build_ring8_teaching",
    N_("The ring of eight gaussians with a wider sigma of 0.1, easier to see and to learn."),
)
_declare(
    "grid25",
    N_("Grid of 25 gaussians"),
    "toy2d",
    "ganlab.data.toy:build_grid25",
    N_("A 5 by 5 grid of narrow gaussians (sigma 0.05) at -4, -2, 0, 2, 4 on each axis."),
)
_declare(
    "grid25_teaching",
    N_("Grid of 25 gaussians (wide)"),
    "toy2d",
    "ganlab.data.toy:build_grid25_teaching",
    N_("The grid of 25 gaussians with a wider sigma of 0.2."),
)
_declare(
    "two_moons",
    N_("Two moons"),
    "toy2d",
    "ganlab.data.toy:build_two_moons",
    N_("Two interleaved half circles with a little noise."),
)
_declare(
    "spiral",
    N_("Spiral"),
    "toy2d",
    "ganlab.data.toy:build_spiral",
    N_("Two interleaved arms of a spiral with a little noise."),
)
_declare(
    "swiss_roll",
    N_("Swiss roll"),
    "toy2d",
    "ganlab.data.toy:build_swiss_roll",
    N_("A curve rolled up in a spiral with a hole in the middle, with a little noise."),
)
_declare(
    "line",
    N_("Line"),
    "toy2d",
    "ganlab.data.toy:build_line",
    N_("A straight segment with very little noise: a distribution on a thin manifold."),
)
_declare(
    "blobs",
    N_("Blobs"),
    "toy2d",
    "ganlab.data.toy:build_blobs",
    N_("Four separate gaussian blobs of different sizes and weights."),
)

# ------------------------------------------------------------------- points (data/points.py)

_declare(
    "csv_points",
    N_("Points from a CSV file"),
    "toy2d",
    "ganlab.data.points:build_csv_points",
    N_("Points read from a CSV file with 1 column (1-D) or 2 columns (2-D)."),
    reads_path=True,
)
_declare(
    "drawn",
    N_("Draw your own"),
    "toy2d",
    "ganlab.data.points:build_drawn",
    N_("Points you draw on the plot; each real sample is one of them plus noise."),
)

# --------------------------------------------------------------------------- images

_declare(
    "shapes",
    N_("Shapes (offline)"),
    "image",
    "ganlab.data.shapes:build_shapes",
    N_("Simple labelled shapes drawn on the fly: no download, quick to learn."),
)
# data/vision.py; the titles are the sets' names, the same in every language.
_declare(
    "mnist",
    "MNIST",
    "image",
    "ganlab.data.vision:build_mnist",
    N_("Handwritten digits 0 to 9, 60000 gray images of 28 by 28 pixels."),
    downloads=True,
)
_declare(
    "fashion_mnist",
    "Fashion-MNIST",
    "image",
    "ganlab.data.vision:build_fashion_mnist",
    N_("Clothing in 10 classes, 60000 gray images of 28 by 28 pixels."),
    downloads=True,
)
_declare(
    "cifar10",
    "CIFAR-10",
    "image",
    "ganlab.data.vision:build_cifar10",
    N_("Small photos in 10 classes, 50000 colour images of 32 by 32 pixels."),
    downloads=True,
)
_declare(
    "image_folder",
    N_("Folder of images"),
    "image",
    "ganlab.data.folder:build_image_folder",
    N_("Any folder of images; its subfolders, if any, are the classes."),
    reads_path=True,
)

# ------------------------------------------------- image pairs for pix2pix (data/pairs.py)

_declare(
    "shapes_edges",
    N_("Shapes: outline → filled (pairs)"),
    "paired",
    "ganlab.data.pairs:build_shapes_edges",
    N_(
        "Pairs drawn on the fly from the shapes: a white outline and the same shape "
        "filled in colour. No download."
    ),
)
_declare(
    "shapes_colorize",
    N_("Shapes: gray → colour (pairs)"),
    "paired",
    "ganlab.data.pairs:build_shapes_colorize",
    N_("Pairs drawn on the fly from the shapes: the gray image and the colour one (RGB)."),
)
_declare(
    "pix2pix_folder",
    N_("Folder of image pairs"),
    "paired",
    "ganlab.data.pairs:build_pair_folder",
    N_(
        "Your pairs: files with A and B side by side (as pix2pix's data sets), or A/ and "
        "B/ folders with files of the same names; val/ or test/ is held out."
    ),
    reads_path=True,
)

# ------------------------------------------------- unpaired image pairs (data/unpaired.py)

_declare(
    "shapes_unpaired",
    N_("Shapes, filled and outlined (unpaired)"),
    "unpaired",
    "ganlab.data.unpaired:build_shapes_unpaired",
    N_(
        "Two styles of the bundled shapes, drawn independently for CycleGAN: filled warm "
        "shapes on black (A) and cool outlines on light gray (B). No download."
    ),
)
_declare(
    "unpaired_folder",
    N_("Folder of two domains (trainA/, trainB/)"),
    "unpaired",
    "ganlab.data.unpaired:build_unpaired_folder",
    N_(
        "CycleGAN's folder layout: images of domain A in trainA/, of domain B in trainB/, "
        "held-out ones in testA/ and testB/ if present."
    ),
    reads_path=True,
)
