"""The kernel: what every layer shares. No Qt, and no model, data source or metric.

Config, commands, reports, registries and their contracts, errors, translations,
presets, run directories and checkpoints (the file formats), ring buffers, devices.
Everything above it (models, data, metrics, the engine, the window) imports it; it
imports none of them (registries load their declarations by module name).
"""
