"""Entry point of the frozen lab (PyInstaller's script): the same as the ``ganlab`` command."""

import multiprocessing
import sys

from ganlab.cli import main

if __name__ == "__main__":
    # torch's DataLoader workers (torch-fidelity's feature extraction) start child
    # processes; in a frozen app they must not re-run the lab.
    multiprocessing.freeze_support()
    sys.exit(main())
