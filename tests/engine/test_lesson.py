"""Lesson files: parsing, validation messages (file, step, key) and the condition watcher."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from ganlab.engine.lesson import (
    ConditionError,
    ConditionWatcher,
    LessonError,
    load_lesson,
    shipped_lessons,
)
from ganlab.kernel import reports as rep

HEAD = """
[lesson]
number = 9
title = { en = "Mode collapse", es = "Colapso de modos" }
summary = { en = "G covers a few modes.", es = "G cubre pocos modos." }
papers = ["Goodfellow et al. 2014"]
experiment = "ring8"
"""

STEP = """
[[step]]
title = { en = "Watch", es = "Mira" }
text = { en = "Press play.", es = "Pulsa play." }
"""


def write(tmp_path: Path, body: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_full_lesson_loads_with_every_key(tmp_path):
    path = write(
        tmp_path,
        HEAD
        + """
lock = true

[[step]]
title = { en = "Watch", es = "Mira" }
text = { en = "Press play.", es = "Pulsa play." }
set = { "optimizer_g.lr" = 0.0005, "loss.name" = "minimax" }
reset = true
panels = ["view", "metrics"]
controls = ["optimizer_g.lr", "play", "speed"]
point = "metrics"
run = "play"
until = "modes_captured <= 2 and step > 10"
budget = 4000

[[step]]
title = { en = "Again" }
text = { en = "Another preset." }
experiment = "grid25"
""",
    )
    lesson = load_lesson(path)
    assert lesson.number == 9
    assert lesson.lock is True
    assert lesson.text("title", "es") == "Colapso de modos"
    assert lesson.text("title", "fr") == "Mode collapse"  # falls back to English
    first, second = lesson.steps
    assert first.set == {"optimizer_g.lr": 0.0005, "loss.name": "minimax"}
    assert first.panels == ("view", "metrics")
    assert first.point == "metrics"
    assert first.until
    assert first.budget == 4000
    assert first.run == "play"
    assert first.reset
    assert second.localized("title", "es") == "Again"
    assert second.run == "pause"
    assert second.panels is None
    assert second.controls is None
    c0, c1 = lesson.config_for_step(0), lesson.config_for_step(1)
    assert c0.optimizer_g.lr == 0.0005
    assert c0.loss.name == "minimax"
    assert c0.data.source == lesson.base_config().data.source
    assert c1.data.source == "grid25"
    assert c1.loss.name != "minimax"


def test_sets_accumulate_over_steps(tmp_path):
    path = write(
        tmp_path,
        HEAD + STEP + 'set = { "optimizer_g.lr" = 0.0005 }\n' + STEP + 'set = { "loop.k_d" = 3 }\n',
    )
    lesson = load_lesson(path)
    config = lesson.config_for_step(1)
    assert config.optimizer_g.lr == 0.0005
    assert config.loop.k_d == 3
    with pytest.raises(IndexError):
        lesson.config_for_step(2)


def test_an_experiment_path_is_relative_to_the_lesson(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "Mine"\n[data]\nsource = "two_moons"\n')
    path = write(tmp_path, HEAD.replace('"ring8"', '"mine.toml"') + STEP)
    assert load_lesson(path).config_for_step(0).data.source == "two_moons"


@pytest.mark.parametrize(
    ("step_extra", "key", "fragment"),
    [
        ("colour = 3\n", "colour", "unknown key"),
        ('run = "fast"\n', "run", '"play" or "pause"'),
        ("reset = 1\n", "reset", "true or false"),
        ('panels = ["view", "plot3d"]\n', "panels", "plot3d"),
        ('controls = ["optimizer_g.learning_rate"]\n', "controls", "dotted config key"),
        ('point = "sidebar"\n', "point", "sidebar"),
        ('experiment = "ring9"\n', "experiment", "no preset called 'ring9'"),
        ('until = "modes_captured <= 2"\n', "budget", "needs `budget`"),
        ('until = "modes <= 2"\nbudget = 100\n', "until", "unknown name 'modes'"),
        ('until = "modes_captured <="\nbudget = 100\n', "until", "not valid"),
        ('until = "__import__(1) > 0"\nbudget = 100\n', "until", "outside the condition"),
        ("budget = 100\n", "budget", "without `until`"),
        ('until = "step > 1"\nbudget = -5\n', "budget", "positive"),
        ('set = { "optimizer_g.lr" = -1.0 }\n', "set.optimizer_g.lr", "out of range"),
        ('set = { "optimizer_g.lr" = "fast" }\n', "set.optimizer_g.lr", "must be a number"),
        ('set = { "optimizer_g.speed" = 1 }\n', "set.optimizer_g.speed", "unknown setting"),
        ('set = { "loss.name" = "magic" }\n', "set", "magic"),
    ],
)
def test_a_broken_step_names_the_file_the_step_and_the_key(tmp_path, step_extra, key, fragment):
    path = write(tmp_path, HEAD + STEP + STEP + step_extra)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    message = str(info.value)
    assert str(path) in message
    assert "step 2" in message
    assert f"key '{key}'" in message
    assert fragment in message
    assert info.value.step == 2


def test_a_step_without_english_text_is_refused(tmp_path):
    path = write(tmp_path, HEAD + STEP + '[[step]]\ntitle = { es = "Mira" }\ntext = { en = "x" }\n')
    with pytest.raises(LessonError, match=r"step 2, key 'title': needs an English text"):
        load_lesson(path)


def test_a_missing_text_is_refused(tmp_path):
    path = write(tmp_path, HEAD + '[[step]]\ntitle = { en = "Mira" }\n')
    with pytest.raises(LessonError, match=r"step 1, key 'text': missing"):
        load_lesson(path)


@pytest.mark.parametrize(
    ("head_change", "key"),
    [
        (('experiment = "ring8"', 'experiment = "nothing"'), "lesson.experiment"),
        (("number = 9", 'number = "9"'), "number"),
        (("number = 9", "number = 9\nlevel = 2"), "level"),
        (('papers = ["Goodfellow et al. 2014"]', "papers = 3"), "lesson.papers"),
    ],
)
def test_a_broken_lesson_table_names_the_key(tmp_path, head_change, key):
    path = write(tmp_path, HEAD.replace(*head_change) + STEP)
    with pytest.raises(LessonError) as info:
        load_lesson(path)
    assert str(path) in str(info.value)
    assert f"key '{key}'" in str(info.value)
    assert info.value.step is None


def test_a_file_that_is_not_toml_or_has_no_steps_is_refused(tmp_path):
    with pytest.raises(LessonError, match="not valid TOML"):
        load_lesson(write(tmp_path, "[lesson\n"))
    with pytest.raises(LessonError, match=r"key 'step'.*at least one"):
        load_lesson(write(tmp_path, HEAD))
    with pytest.raises(LessonError, match="no such lesson file"):
        load_lesson(tmp_path / "absent.toml")


def test_shipped_lessons_load_and_are_sorted_by_number():
    paths = shipped_lessons()
    assert paths, "resources/lessons has no lesson"
    numbers = [load_lesson(p).number for p in paths]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)


# --------------------------------------------------------------------------- watcher


def scalars(steps, **columns) -> rep.ScalarBatch:
    n = len(steps)
    values = {name: np.full(n, np.nan) for name in rep.SCALAR_COLUMNS}
    values.update({k: np.asarray(v, dtype=float) for k, v in columns.items()})
    return rep.ScalarBatch(
        segment=0,
        steps=np.asarray(steps),
        times=np.zeros(n),
        which=("both",) * n,
        values=values,
        lrs={"d": np.full(n, 1e-3), "g": np.full(n, 2e-3)},
        layer_norms={"d": np.zeros((n, 1)), "g": np.zeros((n, 1))},
    )


def test_watcher_reads_metrics_and_does_not_hold_before_they_arrive():
    w = ConditionWatcher("modes_captured <= 2 and step >= 100")
    assert not w.holds()
    assert np.isnan(w.values()["modes_captured"])
    w.observe(rep.MetricsReport(0, 50, {"modes_captured": 2.0, "num_modes": 8.0}))
    assert not w.holds()  # step 50 < 100
    w.observe(rep.MetricsReport(0, 120, {"modes_captured": 5.0}))
    assert not w.holds()
    w.observe(rep.MetricsReport(0, 140, {"modes_captured": 1.0}))
    assert w.holds()
    assert w.values() == {"modes_captured": 1.0, "step": 140.0}
    assert w.describe() == "modes_captured = 1, step = 140"


def test_watcher_averages_scalars_over_the_last_window_skipping_nan():
    w = ConditionWatcher("d_real > 0.9 and g_loss < 1 and lr_g == 0.002")
    w.observe(scalars(range(1, 101), d_real=[0.0] * 100, g_loss=[np.nan] * 100))
    assert not w.holds()
    w.observe(scalars(range(101, 151), d_real=[1.0] * 50, g_loss=[0.5] * 50))
    assert w.values()["d_real"] == pytest.approx(1.0)  # only the last 50 count
    assert w.holds()


def test_watcher_diagnosed_and_paused_flags_and_reset():
    w = ConditionWatcher("diagnosed_non_finite == 1 and paused == 1")
    w.observe(rep.Diagnosis(0, 10, "non_finite", "error", "NaN"))
    assert not w.holds()
    w.observe(rep.StateChanged(0, "paused", 11))
    assert w.holds()
    w.reset()
    assert not w.holds()
    assert w.values()["diagnosed_non_finite"] == 0.0
    w.observe(rep.Diagnosis(0, 12, "non_finite", "error", "NaN"))
    w.observe(rep.StateChanged(0, "paused", 12))
    w.observe(rep.StateChanged(0, "playing", 12))
    assert not w.holds()


def test_watcher_forgets_curves_of_older_networks():
    w = ConditionWatcher("d_loss < 1")
    w.observe(scalars([1, 2], d_loss=[0.1, 0.1]))
    assert w.holds()
    w.observe(
        rep.SegmentStarted(
            1,
            0,
            "",
            "toy2d",
            (2,),
            (),
            None,
            "probability",
            "cpu",
            {},
            {},
            "",
            np.zeros((1, 2)),
            None,
            None,
        )
    )
    assert not w.holds()


@pytest.mark.parametrize(
    "condition",
    ["not (jsd > 0.1) or (d_bound >= -0.5)", "0.1 < jsd < 0.5", "step != 3", "w1 >= +1e-3"],
)
def test_watcher_accepts_the_condition_language(condition):
    ConditionWatcher(condition)


@pytest.mark.parametrize(
    "condition",
    ["jsd + 1 > 2", "jsd.real > 0", "f(jsd)", "jsd > 'a'", "jsd", "jsd in (1, 2)", "True", "x > 1"],
)
def test_watcher_refuses_anything_else(condition):
    with pytest.raises(ConditionError):
        ConditionWatcher(condition)


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_every_shipped_lesson_speaks_english_and_spanish(path):
    lesson = load_lesson(path)
    texts = [lesson.title, lesson.summary]
    for step in lesson.steps:
        texts += [step.title, step.text]
    for text in texts:
        assert set(text) == {"en", "es"}
        assert text["es"].strip()
        assert text["es"] != text["en"]
    assert lesson.papers, "a lesson names the papers behind its claims"
