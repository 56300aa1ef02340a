"""ExperimentConfig: TOML round trips and errors that name the file and the key."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganlab.core import config as cfg
from ganlab.core.errors import ConfigError
from ganlab.core.presets import load_preset, preset_names


def write(tmp_path, text: str):
    path = tmp_path / "exp.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_file_gives_the_defaults_named_after_the_file(tmp_path):
    assert cfg.load(write(tmp_path, "")) == cfg.ExperimentConfig(name="exp")


def test_unknown_key_is_refused_with_file_and_dotted_key(tmp_path):
    path = write(tmp_path, "[loop]\nbatchsize = 64\n")
    with pytest.raises(ConfigError) as info:
        cfg.load(path)
    message = str(info.value)
    assert str(path) in message
    assert "loop.batchsize" in message
    assert "batch_size" in message  # the known keys are listed
    assert info.value.key == "loop.batchsize"


def test_unknown_section_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="key 'optimiser'"):
        cfg.load(write(tmp_path, "[optimiser]\nlr = 0.1\n"))


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ('[loop]\nbatch_size = "64"\n', "loop.batch_size", "must be an integer"),
        ("[loop]\nbatch_size = 6.5\n", "loop.batch_size", "must be an integer"),
        ("[loop]\nbatch_size = true\n", "loop.batch_size", "must be an integer"),
        ("[loop]\nbatch_size = 0\n", "loop.batch_size", "out of range"),
        ("[optimizer_d]\nlr = 0\n", "optimizer_d.lr", "out of range"),
        ("[optimizer_g]\nlr = -1e-3\n", "optimizer_g.lr", "out of range"),
        ('[optimizer_g]\nname = "adamw"\n', "optimizer_g.name", "sgd, adam, rmsprop"),
        ('[loop]\nlatent_dist = "cauchy"\n', "loop.latent_dist", "gaussian, uniform"),
        ("[loss]\nlabel_smoothing = 0.9\n", "loss.label_smoothing", "out of range"),
        ("[data]\nchannels = 2\n", "data.channels", "1 (grayscale) or 3"),
        ("[data]\npoints = [[1, 2, 3]]\n", "data.points", "[x, y] pairs"),
        ("[loop]\nk_d = 0\nk_g = 0\n", "loop.k_d", "cannot both be 0"),
        ('data = "ring8"\n', "data", "table of settings"),
        ("[model]\nspectral_norm_d = 1\n", "model.spectral_norm_d", "true or false"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(tmp_path, text, key, fragment):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        cfg.load(path)
    assert info.value.key == key
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_invalid_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[loop\nbatch_size = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        cfg.load(path)
    assert str(path) in str(info.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such experiment file"):
        cfg.load(tmp_path / "nope.toml")


def test_integers_are_accepted_for_float_fields(tmp_path):
    loaded = cfg.load(write(tmp_path, "[optimizer_d]\nlr = 1\n"))
    assert loaded.optimizer_d.lr == 1.0
    assert isinstance(loaded.optimizer_d.lr, float)


def test_unknown_registry_names_are_refused_by_check_names():
    bad = dataclasses.replace(cfg.ExperimentConfig(), data=cfg.DataConfig(source="ring9"))
    with pytest.raises(ConfigError, match="unknown data source 'ring9'") as info:
        cfg.check_names(bad, "exp.toml")
    assert info.value.key == "data.source"
    assert "ring8" in str(info.value)  # the known names are listed


def test_image_family_on_toy_data_is_refused():
    bad = dataclasses.replace(cfg.ExperimentConfig(), model=cfg.ModelConfig(family="dcgan"))
    with pytest.raises(ConfigError, match="does not train on toy2d data") as info:
        cfg.check_names(bad)
    assert info.value.key == "model.family"


def test_with_value_validates_like_a_file():
    base = cfg.ExperimentConfig()
    assert cfg.with_value(base, "loop.batch_size", 7).loop.batch_size == 7
    with pytest.raises(ConfigError, match="out of range"):
        cfg.with_value(base, "loop.batch_size", -7)


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_loads_and_names_registered_things(name):
    config = load_preset(name)
    cfg.check_names(config, name)
    assert config.description


def test_save_then_load_round_trips(tmp_path):
    config = load_preset("shapes_acgan")
    config = cfg.with_value(config, "data.points", [[0.5, -1.0], [2.0, 3.0]])
    cfg.save(config, tmp_path / "e.toml")
    assert cfg.load(tmp_path / "e.toml") == config


@settings(max_examples=40, deadline=None)
@given(
    batch=st.integers(1, 4096),
    lr=st.floats(1e-6, 1.0),
    beta1=st.floats(0.0, 0.99),
    dist=st.sampled_from(["gaussian", "uniform"]),
    smoothing=st.floats(0.0, 0.5),
    name=st.text(max_size=20),
)
def test_any_valid_config_round_trips_through_toml(batch, lr, beta1, dist, smoothing, name):
    config = cfg.ExperimentConfig(
        name=name,
        loop=cfg.LoopConfig(batch_size=batch, latent_dist=dist),
        optimizer_d=cfg.OptimizerConfig(lr=lr, beta1=beta1),
        loss=cfg.LossConfig(label_smoothing=smoothing),
    )
    assert cfg.loads(cfg.dumps(config)) == config
