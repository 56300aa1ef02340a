"""Many runs side by side (ganlab.kernel.runs): listing, what differs, bounded curves."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from ganlab.kernel import config as cfg
from ganlab.kernel.rundir import RunDir, read_history
from ganlab.kernel.runs import (
    CURVE_POINTS,
    METRIC_PREFIX,
    Decimator,
    RunCurves,
    differing_settings,
    list_runs,
    run_experiment,
)
from tests.conftest import tiny_config


def make_run(folder: Path, name: str, config: cfg.ExperimentConfig, rows: list[dict]) -> Path:
    run = RunDir.create(folder / name, config)
    run.append(rows)
    run.close()
    return run.path


def rows(steps: range, loss: float = 1.0) -> list[dict]:
    return [
        {"step": s, "segment": 0, "d_loss": loss + 0.001 * s, "g_loss": 0.7, "lr_d": 1e-3}
        for s in steps
    ]


def with_lr_and_loss(config: cfg.ExperimentConfig, lr: float, loss: str) -> cfg.ExperimentConfig:
    return dataclasses.replace(
        config,
        optimizer_d=dataclasses.replace(config.optimizer_d, lr=lr),
        loss=dataclasses.replace(config.loss, name=loss),
    )


def test_differing_settings_names_exactly_the_settings_that_differ(tmp_path):
    base = tiny_config()
    a = make_run(tmp_path, "a", base, rows(range(1, 4)))
    b = make_run(tmp_path, "b", with_lr_and_loss(base, 5e-05, "wgan_gp"), rows(range(1, 4)))
    assert differing_settings([run_experiment(a), run_experiment(b)]) == [
        ["loss.name = non_saturating", "optimizer_d.lr = 0.001"],
        ["loss.name = wgan_gp", "optimizer_d.lr = 5e-05"],
    ]


def test_the_seed_counts_and_the_name_recording_rates_and_length_do_not():
    base = tiny_config()
    other = dataclasses.replace(
        base,
        name="another name",
        loop=dataclasses.replace(base.loop, seed=7, scalar_hz=3.0, snapshot_hz=1.0, steps=99),
    )
    assert differing_settings([base, other]) == [["loop.seed = 0"], ["loop.seed = 7"]]


def test_same_settings_or_a_single_run_differ_in_nothing():
    assert differing_settings([tiny_config(), tiny_config()]) == [[], []]
    assert differing_settings([tiny_config()]) == [[]]


def test_a_setting_one_run_lacks_differs_and_reads_as_a_dash():
    assert differing_settings([{"loss": {"name": "hinge"}}, {"loss": {}}]) == [
        ["loss.name = hinge"],
        ["loss.name = -"],
    ]


def test_list_runs_gives_family_loss_steps_and_last_metrics_newest_first(tmp_path):
    base = tiny_config()
    old = make_run(tmp_path, "old", base, rows(range(1, 11)))
    new_rows = [*rows(range(1, 21)), {"event": "metrics", "step": 20, "segment": 0, "jsd": 0.25}]
    new = make_run(tmp_path, "new", with_lr_and_loss(base, 1e-4, "hinge"), new_rows)
    (tmp_path / "not-a-run").mkdir()
    import os

    os.utime(old / "metrics.jsonl", (1_000_000, 1_000_000))
    os.utime(old / "experiment.toml", (1_000_000, 1_000_000))
    os.utime(old / "checkpoints", (1_000_000, 1_000_000))
    listed = list_runs([tmp_path, tmp_path / "missing", tmp_path])
    assert [r.path.name for r in listed] == ["new", "old"]
    assert (listed[0].family, listed[0].loss, listed[0].steps) == ("mlp", "hinge", 20)
    assert listed[0].metrics == {"jsd": 0.25}
    assert (listed[1].loss, listed[1].steps, listed[1].metrics) == ("non_saturating", 10, {})
    assert new == listed[0].path


def test_curves_of_a_100k_row_run_stay_within_the_bound_and_keep_the_extremes(tmp_path):
    n = 100_000
    spike_at, dip_at = 61_234, 7_777
    path = tmp_path / "metrics.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for s in range(1, n + 1):
            value = 50.0 if s == spike_at else -50.0 if s == dip_at else float(np.sin(s / 500))
            fh.write(f'{{"step": {s}, "segment": 0, "d_loss": {value!r}, "g_loss": 0.5}}\n')
            if s % 20 == 0:
                fh.write(f'{{"event": "metrics", "step": {s}, "segment": 0, "jsd": {s}}}\n')
    curves = RunCurves(path)
    assert curves.update()
    assert set(curves.names()) == {"d_loss", "g_loss", METRIC_PREFIX + "jsd"}
    for name in curves.names():
        x, y = curves.curve(name)
        assert 0 < len(x) <= CURVE_POINTS
        assert np.all(np.diff(x) > 0)
    x, y = curves.curve("d_loss")
    assert x[np.argmax(y)] == spike_at
    assert y.max() == 50.0
    assert x[np.argmin(y)] == dip_at
    assert y.min() == -50.0
    assert curves.curve(METRIC_PREFIX + "jsd")[1].max() == n
    assert curves.last_step == n
    assert curves.skipped_summary() is None


@pytest.mark.parametrize("chunk", [1, 3, 64, 1000])
def test_the_decimator_never_holds_more_than_its_bound(chunk):
    values = np.random.default_rng(0).normal(size=5000)
    d = Decimator(max_points=50)
    for start in range(0, len(values), chunk):
        d.extend(np.arange(start, min(start + chunk, len(values))), values[start : start + chunk])
        assert len(d) <= 50
    _x, y = d.points()
    assert y.max() == values.max()
    assert y.min() == values.min()


def test_a_short_curve_is_kept_point_for_point():
    d = Decimator(max_points=100)
    d.extend(np.arange(10), np.arange(10.0) ** 2)
    x, y = d.points()
    assert x.tolist() == list(range(10))
    assert y.tolist() == [v**2 for v in range(10)]


def test_a_corrupt_line_is_skipped_and_named_and_the_rest_read(tmp_path):
    path = tmp_path / "metrics.jsonl"
    lines = [json.dumps(r) for r in rows(range(1, 6))]
    lines.insert(2, '{"step": 99, "d_loss": ')  # a damaged line in the middle
    lines.insert(4, json.dumps({"step": 3, "d_loss": "high"}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    curves = RunCurves(path)
    curves.update()
    assert curves.curve("d_loss")[0].tolist() == [1, 2, 3, 4, 5]
    summary = curves.skipped_summary()
    assert summary is not None
    assert str(path) in summary
    assert "line 3" in summary
    assert "line 5" in summary
    assert [n for n, _why in curves.skipped] == [3, 5]
    assert "'d_loss' is not a number ('high')" in curves.skipped[1][1]


def test_a_line_being_written_is_read_once_it_is_whole(tmp_path):
    path = tmp_path / "metrics.jsonl"
    whole = "".join(json.dumps(r) + "\n" for r in rows(range(1, 4)))
    last = json.dumps(rows(range(4, 5))[0]) + "\n"
    path.write_text(whole + last[:20], encoding="utf-8")
    curves = RunCurves(path)
    curves.update()
    assert curves.curve("d_loss")[0].tolist() == [1, 2, 3]
    assert curves.skipped_summary() is None
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(last[20:] + json.dumps(rows(range(5, 6))[0]) + "\n")
    assert curves.update()
    assert curves.curve("d_loss")[0].tolist() == [1, 2, 3, 4, 5]
    assert not curves.update()  # nothing new


def test_a_cut_line_with_a_resumed_run_glued_behind_it_keeps_the_whole_one(tmp_path):
    path = tmp_path / "metrics.jsonl"
    cut = json.dumps(rows(range(3, 4))[0])[:25]
    glued = cut + json.dumps(rows(range(3, 4), loss=5.0)[0]) + "\n"
    path.write_text(json.dumps(rows(range(1, 3))[0]) + "\n" + glued, encoding="utf-8")
    curves = RunCurves(path)
    curves.update()
    assert curves.curve("d_loss")[0].tolist() == [1, 3]
    assert curves.skipped[0][0] == 2
    assert "cut off" in curves.skipped[0][1]


def test_curves_agree_with_read_history_on_a_resumed_run_and_after_a_reset(tmp_path):
    entries = [
        *rows(range(1, 11)),
        *rows(range(6, 9), loss=3.0),  # resumed from step 5: steps 6-8 again
        {"event": "reset", "step": 8, "segment": 1, "config": ""},
        *[dict(r, segment=1) for r in rows(range(1, 5), loss=9.0)],
    ]
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    curves = RunCurves(path)
    curves.update()
    history = read_history(path)
    x, y = curves.curve("d_loss")
    assert x.tolist() == history.steps.tolist() == [1, 2, 3, 4]
    assert y.tolist() == history.columns["d_loss"].tolist()
    before_reset = read_history(path, segment=0)
    assert before_reset.steps.tolist() == [1, 2, 3, 4, 5, 6, 7, 8]


def test_a_resumed_run_replaces_the_steps_it_wrote_again(tmp_path):
    path = tmp_path / "metrics.jsonl"
    entries = [*rows(range(1, 11)), *rows(range(6, 9), loss=3.0)]
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    curves = RunCurves(path)
    curves.update()
    history = read_history(path)
    x, y = curves.curve("d_loss")
    assert x.tolist() == history.steps.tolist() == list(range(1, 9))
    assert y.tolist() == history.columns["d_loss"].tolist()


def test_a_missing_metrics_file_is_an_error_naming_it(tmp_path):
    from ganlab.kernel.errors import GanlabError

    with pytest.raises(GanlabError, match=r"metrics\.jsonl"):
        RunCurves(tmp_path / "metrics.jsonl").update()
