"""check_lesson: a lesson runs headless with the real engine; unreached conditions fail."""

from __future__ import annotations

import textwrap

from ganlab.cli import main
from ganlab.engine.lesson import PLAY_STEPS, check_lesson, load_lesson

LESSON = """
[lesson]
number = 99
title = { en = "Check" }
experiment = "gaussian1d"

[[step]]
title = { en = "Look" }
text = { en = "Nothing runs." }

[[step]]
title = { en = "Train" }
text = { en = "Train until step 60 and metrics arrive." }
run = "play"
until = "step >= 60 and w1 >= 0"
budget = 400

[[step]]
title = { en = "Change" }
text = { en = "A live change, then a fixed number of steps." }
set = { "optimizer_g.lr" = 0.0005 }
run = "play"

[[step]]
title = { en = "Impossible" }
text = { en = "Never reached." }
set = { "loop.k_d" = 2 }
run = "play"
until = "lr_g > 1"
budget = 30

[[step]]
title = { en = "After" }
text = { en = "Not run: the lesson stopped at the failure." }
"""


def test_check_runs_each_step_and_stops_at_an_unreached_condition(tmp_path):
    path = tmp_path / "check.toml"
    path.write_text(textwrap.dedent(LESSON), encoding="utf-8")
    seen = []
    result = check_lesson(load_lesson(path), progress=seen.append)
    assert [s.number for s in result.steps] == [1, 2, 3, 4]
    assert [s.number for s in seen] == [1, 2, 3, 4]
    look, train, change, impossible = result.steps
    assert look.reached
    assert look.steps_used == 0
    assert train.reached
    assert train.values["step"] >= 60
    assert train.steps_used <= 400
    assert change.reached
    assert change.steps_used >= PLAY_STEPS
    assert not impossible.reached
    assert impossible.steps_used >= 30
    assert impossible.values == {"lr_g": 0.0005}  # the live change took effect
    assert not result.ok
    (problem,) = result.problems()
    assert str(path) in problem
    assert "step 4" in problem
    assert "'lr_g > 1'" in problem
    assert "budget of 30" in problem
    assert "lr_g = 0.0005" in problem


def test_cli_lists_and_checks_lessons(tmp_path, capsys):
    path = tmp_path / "ok.toml"
    text = textwrap.dedent(LESSON)
    path.write_text(text[: text.index('[[step]]\ntitle = { en = "Impossible" }')])
    assert main(["lessons", str(path)]) == 0
    assert "99  Check" in capsys.readouterr().out
    assert main(["lessons", "--check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "step 2: ok" in out
    assert "1 of 1 lessons passed" in out
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    assert main(["lessons", "--check", str(bad)]) == 1
    captured = capsys.readouterr()
    assert "step 4: FAILED" in captured.out
    assert "budget of 30" in captured.err
