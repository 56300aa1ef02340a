"""ExperimentConfig: TOML round trips and errors that name the file and the key."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ganlab.kernel import config as cfg
from ganlab.kernel.errors import ConfigError
from ganlab.kernel.presets import load_preset, preset_names


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


# --------------------------------------------------------------------------- settings ignored


def test_the_issues_example_warns_with_file_key_value_reason_and_fix(tmp_path):
    path = write(tmp_path, '[loss]\nname = "hinge"\nlabel_smoothing = 0.1\n')
    config = cfg.load(path)
    assert cfg.config_warnings(config, str(path)) == [
        f"{path}: loss.label_smoothing = 0.1 has no effect with loss 'hinge' "
        "(only minimax, non_saturating and least_squares use it); remove it"
    ]


@pytest.mark.parametrize(
    ("toml", "key", "fragment"),
    [
        ('[loss]\nname = "hinge"\nlabel_smoothing = 0.1\n', "loss.label_smoothing", "'hinge'"),
        ('[loss]\nname = "wgan_gp"\nlabel_smoothing = 0.2\n', "loss.label_smoothing", "wgan_gp"),
        (
            '[loss]\nname = "wgan_clip"\ngp_weight = 5.0\n[optimizer_d]\nname = "rmsprop"\n',
            "loss.gp_weight",
            "only wgan_gp uses",
        ),
        ('[loss]\nname = "least_squares"\nclip_value = 0.1\n', "loss.clip_value", "wgan_clip"),
        ('[loss]\nname = "non_saturating"\ngp_weight = 1.0\n', "loss.gp_weight", "wgan_gp"),
        ("[loss]\naux_weight = 2.0\n", "loss.aux_weight", "(only acgan uses it)"),
        ("[loss]\nadv_weight = 0.0\n", "loss.adv_weight", "(only pix2pix uses it)"),
        (
            '[model]\nfamily = "dcgan"\n[data]\nsource = "shapes"\n[loss]\nl1_weight = 10.0\n',
            "loss.l1_weight",
            "model family 'dcgan'",
        ),
        ('[optimizer_d]\nname = "adam"\nmomentum = 0.9\n', "optimizer_d.momentum", "sgd and"),
        ('[optimizer_g]\nname = "sgd"\nbeta1 = 0.0\n', "optimizer_g.beta1", "only adam uses"),
        ('[optimizer_g]\nname = "rmsprop"\nbeta2 = 0.9\n', "optimizer_g.beta2", "'rmsprop'"),
    ],
)
def test_a_setting_the_experiment_ignores_is_named_with_the_reason(tmp_path, toml, key, fragment):
    path = write(tmp_path, toml)
    config = cfg.load(path)
    assert [k for k, _reason in cfg.inapplicable_settings(config)] == [key]
    (message,) = cfg.config_warnings(config, str(path))
    assert message.startswith(f"{path}: {key} = ")
    assert fragment in message
    assert "has no effect" in message
    assert message.endswith("remove it")


@pytest.mark.parametrize(
    "toml",
    [
        '[loss]\nname = "least_squares"\nlabel_smoothing = 0.1\n',  # LSGAN's real target b
        '[loss]\nname = "minimax"\nlabel_smoothing = 0.1\ninstance_noise = 0.1\nr1_gamma = 1\n',
        '[loss]\nname = "wgan_gp"\ngp_weight = 1.0\n',
        '[loss]\nname = "wgan_clip"\nclip_value = 0.05\n'
        '[optimizer_d]\nname = "rmsprop"\nlr = 5e-5\n',
        '[model]\nfamily = "acgan"\n[loss]\naux_weight = 2.0\n',
        '[optimizer_d]\nname = "sgd"\nmomentum = 0.9\n',
    ],
)
def test_settings_that_apply_give_no_warning(tmp_path, toml):
    config = cfg.load(write(tmp_path, toml))
    assert cfg.inapplicable_settings(config) == []
    assert cfg.config_warnings(config) == []


@pytest.mark.parametrize("loss", ["minimax", "hinge", "wgan_gp", "wgan_clip"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_a_saved_file_carrying_every_default_gives_no_warning(tmp_path, loss, optimizer):
    # Saving writes every field; defaults must not read as "set" on the way back.
    config = cfg.ExperimentConfig(
        loss=cfg.LossConfig(name=loss),
        optimizer_d=cfg.OptimizerConfig(name=optimizer, momentum=0.0),
        optimizer_g=cfg.OptimizerConfig(name=optimizer),
    )
    cfg.save(config, tmp_path / "saved.toml")
    loaded = cfg.load(tmp_path / "saved.toml")
    assert cfg.inapplicable_settings(loaded) == []
    assert not any("no effect" in message for message in cfg.config_warnings(loaded))


@pytest.mark.parametrize("name", preset_names())
def test_no_preset_sets_anything_it_ignores_or_warns_about(name):
    assert cfg.config_warnings(load_preset(name), name) == []


# --------------------------------------------------------------------------- wgan_clip


@pytest.mark.parametrize(
    ("optimizer", "key"),
    [
        ('name = "adam"\nbeta1 = 0.5\n', "optimizer_d.beta1"),
        ('name = "rmsprop"\nmomentum = 0.9\n', "optimizer_d.momentum"),
        ('name = "sgd"\nmomentum = 0.5\n', "optimizer_d.momentum"),
    ],
)
def test_momentum_on_the_critic_of_wgan_clip_is_warned_with_the_papers_recipe(
    tmp_path, optimizer, key
):
    path = write(tmp_path, f'[loss]\nname = "wgan_clip"\n[optimizer_d]\n{optimizer}')
    (message,) = cfg.config_warnings(cfg.load(path), str(path))
    assert message.startswith(f"{path}: {key} = ")
    assert "unstable" in message
    assert "optimizer_d.name = 'rmsprop'" in message
    assert "optimizer_d.lr = 5e-05" in message
    assert "Arjovsky" in message


def test_wgan_clip_with_the_default_optimizer_is_warned_also_for_the_windows_edits():
    # The issue's case: no [optimizer_d] table gives Adam, beta1 = 0.5, lr 1e-3.
    config = cfg.ExperimentConfig(loss=cfg.LossConfig(name="wgan_clip"))
    (message,) = cfg.config_warnings(config, inapplicable=False)
    assert message.startswith("optimizer_d.beta1 = 0.5 ")


def test_the_windows_edits_leave_ignored_settings_to_the_disabled_controls():
    config = cfg.ExperimentConfig(loss=cfg.LossConfig(name="hinge", label_smoothing=0.1))
    assert len(cfg.config_warnings(config)) == 1
    assert cfg.config_warnings(config, inapplicable=False) == []


@pytest.mark.parametrize(
    "optimizer", ['name = "adam"\nbeta1 = 0.0\n', 'name = "rmsprop"\n', 'name = "sgd"\n']
)
def test_a_critic_without_momentum_is_not_warned(tmp_path, optimizer):
    path = write(tmp_path, f'[loss]\nname = "wgan_clip"\n[optimizer_d]\n{optimizer}')
    assert cfg.config_warnings(cfg.load(path)) == []


@pytest.mark.parametrize("loss", ["wgan_gp", "hinge", "non_saturating"])
def test_momentum_is_only_warned_for_a_weight_clipped_critic(loss):
    config = cfg.ExperimentConfig(loss=cfg.LossConfig(name=loss))  # Adam, beta1 = 0.5
    assert cfg.config_warnings(config) == []


def test_the_wgan_clip_preset_is_the_papers_recipe_on_the_ring():
    from ganlab.kernel.registry import LOSSES

    config = load_preset("wgan_clip_ring")
    assert config.loss.name == "wgan_clip"
    assert config.data.source.startswith("ring8")
    for key, value in LOSSES.get("wgan_clip").paper_settings:
        section, _, name = key.partition(".")
        assert getattr(getattr(config, section), name) == value, key


# --------------------------------------------------------------------------- BatchNorm


def _image(family: str, batch: int, **model: object) -> cfg.ExperimentConfig:
    return cfg.ExperimentConfig(
        data=cfg.DataConfig(source="shapes"),
        model=cfg.ModelConfig(family=family, **model),  # type: ignore[arg-type]
        loop=cfg.LoopConfig(batch_size=batch),
    )


@pytest.mark.parametrize(
    ("family", "model", "nets"),
    [
        ("dcgan", {}, "G and D use BatchNorm"),
        ("dcgan", {"spectral_norm_d": True}, "G uses BatchNorm"),
        ("cgan", {}, "G and D use BatchNorm"),
        ("acgan", {"spectral_norm_g": True}, "G and D use BatchNorm"),
    ],
)
def test_one_sample_per_batch_under_batch_norm_is_refused_with_the_fix(family, model, nets):
    with pytest.raises(ConfigError) as info:
        cfg.check_names(_image(family, 1, **model), "exp.toml")
    assert info.value.key == "loop.batch_size"
    message = str(info.value)
    assert message.startswith("exp.toml, key 'loop.batch_size': ")
    assert nets in message
    assert "loop.batch_size to 2 or more" in message
    assert "without BatchNorm: mlp" in message


def test_batch_one_under_batch_norm_is_refused_from_a_file_as_in_the_window(tmp_path):
    path = write(
        tmp_path, '[data]\nsource = "shapes"\n[model]\nfamily = "dcgan"\n[loop]\nbatch_size = 1\n'
    )
    config = cfg.load(path)  # the value itself is in range
    with pytest.raises(ConfigError, match="BatchNorm") as info:
        cfg.check_names(config, str(path))
    assert str(path) in str(info.value)
    # The window's edits go through with_value + check_names (controller.change_setting).
    fine = cfg.with_value(config, "loop.batch_size", 2)
    cfg.check_names(fine)
    with pytest.raises(ConfigError, match="BatchNorm"):
        cfg.check_names(cfg.with_value(fine, "loop.batch_size", 1))


@pytest.mark.parametrize(
    "config",
    [
        _image("mlp", 1),
        _image("dcgan", 2),
        cfg.ExperimentConfig(
            model=cfg.ModelConfig(family="cgan"), loop=cfg.LoopConfig(batch_size=1)
        ),
        cfg.ExperimentConfig(loop=cfg.LoopConfig(batch_size=1)),
    ],
    ids=["mlp-images", "dcgan-batch-2", "cgan-toy", "mlp-toy"],
)
def test_batch_one_without_batch_norm_is_allowed(config):
    cfg.check_names(config)


def _has_batch_norm(module) -> bool:
    from torch import nn

    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in module.modules())


def _families_kinds_norms():
    from ganlab.kernel.registry import MODEL_FAMILIES

    for name, family in MODEL_FAMILIES.items():
        for kind in sorted(family.data_kinds):
            for sn_d in (False, True):
                yield pytest.param(name, kind, sn_d, id=f"{name}-{kind}-sn_d={sn_d}")


@pytest.mark.parametrize(("family", "kind", "sn_d"), list(_families_kinds_norms()))
def test_a_familys_batch_norm_declaration_matches_the_networks_it_builds(family, kind, sn_d):
    from ganlab.kernel.contracts import DataSpec
    from ganlab.kernel.registry import MODEL_FAMILIES

    entry = MODEL_FAMILIES.get(family)
    shape = {
        "toy1d": (1,),
        "toy2d": (2,),
        "image": (1, 28, 28),
        "paired": (2, 1, 28, 28),
        "unpaired": (2, 1, 28, 28),
    }[kind]
    spec = DataSpec(kind=kind, shape=shape, num_classes=3, class_names=("a", "b", "c"))
    model = cfg.ModelConfig(family=family, base_channels=8, spectral_norm_d=sn_d)
    generator, discriminator = entry.build(model, spec, 4)
    built = tuple(n for n, net in (("G", generator), ("D", discriminator)) if _has_batch_norm(net))
    declared = entry.batch_norm(model, kind) if entry.batch_norm is not None else ()
    assert declared == built
