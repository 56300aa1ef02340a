"""The model zoo. No Qt.

* :mod:`ganlab.models.catalogue` declares every family (no torch): importing this package,
  or :data:`ganlab.kernel.registry.MODEL_FAMILIES`'s first lookup, registers them all.
* One module per family holds its networks and its ``build`` (torch), imported on the
  first build: :mod:`~ganlab.models.mlp`, :mod:`~ganlab.models.dcgan`,
  :mod:`~ganlab.models.conditional` (``cgan``), :mod:`~ganlab.models.acgan`;
  :mod:`~ganlab.models.base` holds their shared helpers.

A new family is one declaration in the catalogue plus its module.
"""

from ganlab.models import catalogue

__all__ = ["catalogue"]
