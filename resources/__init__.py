"""Files shipped with ganlab (presets, icons, translations), installed as ganlab.resources."""
