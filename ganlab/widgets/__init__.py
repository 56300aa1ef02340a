"""Passive Qt panels: setters in, intent signals out. Never imports torch."""
