"""ganlab: a desktop laboratory for generative adversarial networks.

Importing ``ganlab`` imports neither Qt nor torch; it only carries the version.
"""

__version__ = "0.1.0"
