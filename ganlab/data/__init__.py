"""Data sources: toy 1-D / 2-D distributions with exact densities, and image sets. No Qt.

Importing this package registers every source in ``ganlab.core.registry.DATA_SOURCES``
(the registry imports it on first use). Modules:

* :mod:`ganlab.data.toy` - analytic 1-D and 2-D sources (gaussians, ring, grid, moons...)
* :mod:`ganlab.data.points` - points from a CSV file, and drawn points
* :mod:`ganlab.data.shapes` - the bundled offline image set, generated from a fixed seed
* :mod:`ganlab.data.vision` - MNIST, Fashion-MNIST and CIFAR-10 through torchvision
* :mod:`ganlab.data.folder` - any folder of images
* :mod:`ganlab.data.base` - shared helpers (mixtures, in-memory image sets)
"""

# Registration order is the order the pickers list: toy, points, then images.
# isort: off
from ganlab.data import toy
from ganlab.data import points
from ganlab.data import shapes
from ganlab.data import vision
from ganlab.data import folder

# isort: on

__all__ = ["folder", "points", "shapes", "toy", "vision"]
