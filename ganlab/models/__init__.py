"""The model zoo: one module per family, each registering itself in
:data:`ganlab.core.registry.MODEL_FAMILIES` when imported. No Qt.

Importing this package (which the registry does on first lookup) registers every family.
"""

# Import order is registration order, which is the order the UI lists the families in.
# isort: off
from ganlab.models import mlp
from ganlab.models import dcgan
from ganlab.models import conditional
from ganlab.models import acgan
# isort: on

__all__ = ["acgan", "conditional", "dcgan", "mlp"]
