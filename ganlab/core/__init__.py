"""The engine: config, commands, reports, trainer, loop, losses, checkpoints. No Qt."""
