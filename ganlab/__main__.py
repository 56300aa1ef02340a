"""``python -m ganlab`` is the ``ganlab`` command."""

import sys

from ganlab.cli import main

if __name__ == "__main__":
    sys.exit(main())
