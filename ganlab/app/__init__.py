"""The Qt shell: main window, session state, controller, trainer thread."""
