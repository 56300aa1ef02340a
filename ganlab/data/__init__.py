"""Data sources: toy 1-D / 2-D distributions with exact densities, and image sets. No Qt.

Importing this package imports no torch: it registers every source in
``ganlab.kernel.registry.DATA_SOURCES`` through :mod:`ganlab.data.catalogue` (which the
registry also imports on first use); a source's module is imported on its first build.
A new source is one declaration in the catalogue plus its builder. Modules:

* :mod:`ganlab.data.catalogue` - every source declared: name, title, kind, lazy builder
* :mod:`ganlab.data.toy` - analytic 1-D and 2-D sources (gaussians, ring, grid, moons...)
* :mod:`ganlab.data.points` - points from a CSV file, and drawn points
* :mod:`ganlab.data.points_file` - reading a points CSV file (no torch, for the window)
* :mod:`ganlab.data.shapes` - the bundled offline image set, generated from a fixed seed
* :mod:`ganlab.data.vision` - MNIST, Fashion-MNIST and CIFAR-10 through torchvision
* :mod:`ganlab.data.folder` - any folder of images
* :mod:`ganlab.data.base` - shared helpers (mixtures, in-memory image sets)
"""

from ganlab.data import catalogue

__all__ = ["catalogue"]
