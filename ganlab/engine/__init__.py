"""The engine: training a pair and everything that runs it. No Qt.

The trainer and its loop, losses, the recorder that writes run directories, the
trainer process (host) and its channel to windows, torchrun ranks, lessons' checks.
Above models, data and metrics; below the window and the command line.
"""
