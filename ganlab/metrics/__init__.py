"""Metrics and diagnostics (toy divergences, mode coverage, IS/FID/KID). No Qt."""
