"""Where lessons start: the start page, File › Start page, ``ganlab --lesson FILE``."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QApplication

from ganlab import cli
from ganlab.app.main_window import MainWindow
from ganlab.engine.lesson import load_lesson, shipped_lessons
from ganlab.kernel.presets import load_preset, preset_names
from ganlab.widgets.start_page import StartPage
from tests.app.test_lessons import TWO_STEPS, WAIT_MS, lesson_file
from tests.conftest import tiny_config


def visible_start_pages() -> list[StartPage]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, StartPage) and w.isVisible()]


def test_a_window_opened_on_an_experiment_shows_no_start_page(window):
    assert window.lessons.start_page is None
    assert visible_start_pages() == []


def test_the_start_page_lists_the_shipped_lessons_and_every_preset_with_its_description(window):
    window.lessons.start_page_action.trigger()
    page = window.lessons.start_page
    assert page is not None
    assert page.isVisible()
    lessons = page.entries("lessons")
    assert [key for key, _text in lessons] == [str(p) for p in shipped_lessons()]
    first = load_lesson(shipped_lessons()[0])
    assert lessons[0][1].startswith(f"{first.number}. {first.text('title')}\n")
    presets = dict(page.entries("presets"))
    assert sorted(presets) == preset_names()
    for name, text in presets.items():
        config = load_preset(name)
        assert text.startswith(config.name + "\n")
        assert config.description.split(". ")[0].rstrip(".") in text
    page.presets.setCurrentRow(preset_names().index("ring8_mode_collapse"))
    assert load_preset("ring8_mode_collapse").description in page.detail("presets")


def test_a_preset_chosen_on_the_start_page_opens_with_its_description_in_sight(qtbot, window):
    page = window.lessons.show_start_page()
    page.presets.setCurrentRow(preset_names().index("ring8_mode_collapse"))
    with qtbot.waitSignal(window.controller.config_changed, timeout=WAIT_MS):
        page.presets.itemActivated.emit(page.presets.currentItem())
    config = load_preset("ring8_mode_collapse")
    assert window.controller.session.config.name == config.name
    shown = QTextDocumentFragment.fromHtml(window.experiment_about.text()).toPlainText()
    assert config.description in shown
    assert not page.isVisible()


def test_a_lesson_chosen_on_the_start_page_opens(window, tmp_path):
    path = lesson_file(tmp_path, TWO_STEPS)
    window.remember_file(str(path))
    page = window.lessons.show_start_page()
    assert page.entries("recent")[0][0] == str(path)
    assert page.entries("recent")[0][1].endswith(f"lesson: {path}")
    page.recent.setCurrentRow(0)
    page.recent.itemActivated.emit(page.recent.currentItem())
    assert window.lessons.lesson is not None
    assert window.lesson_panel.step_title.text() == "Watch the losses"


def test_the_window_s_recent_runs_are_listed_and_continue_from_their_checkpoint(
    qtbot, window, tmp_path
):
    import queue

    from ganlab.engine.loop import run
    from ganlab.engine.recorder import drive, window_recorder
    from ganlab.kernel import commands as cmd
    from ganlab.kernel.rundir import window_runs_folder

    recorder = window_recorder(tiny_config())  # a run made earlier, in the window's folder
    inbox: queue.Queue = queue.Queue()
    inbox.put(cmd.Step("both"))
    inbox.put(cmd.Step("both"))
    inbox.put(cmd.Stop())
    for _report in drive(run(tiny_config(), inbox, recording=True), recorder):
        pass
    recorder.close()
    run_dir = recorder.path
    assert run_dir.parent == window_runs_folder()
    page = window.lessons.show_start_page()
    entries = dict(page.entries("recent"))
    assert str(run_dir) in entries
    assert "a run made in the window, mlp, step 2" in entries[str(run_dir)]
    page.recent.setCurrentRow([key for key, _ in page.entries("recent")].index(str(run_dir)))
    with qtbot.waitSignal(
        window.controller.checkpoint_loaded,
        timeout=WAIT_MS,
        check_params_cb=lambda loaded: loaded.step == 2,
    ):
        page.recent.itemActivated.emit(page.recent.currentItem())


@pytest.fixture
def run_app_sees(qtbot, tmp_path, monkeypatch):
    """Run ``ganlab ARGS`` up to the event loop; return what the window looked like."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    seen: dict[str, object] = {}

    def fake_exec(*_args) -> int:
        windows = QApplication.topLevelWidgets()
        window = next(w for w in windows if isinstance(w, MainWindow) and w.isVisible())
        # Closing before the trainer has started up would leave it building (2 s wait).
        qtbot.waitUntil(lambda: window.controller.session.info is not None, timeout=WAIT_MS)
        lesson = window.lessons.lesson
        seen["lesson"] = None if lesson is None else lesson.path.name
        seen["step_title"] = window.lesson_panel.step_title.text()
        seen["start_page"] = bool(visible_start_pages())
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    return seen


def test_ganlab_lesson_file_opens_the_lesson_at_its_first_step(run_app_sees, tmp_path):
    path = lesson_file(tmp_path, TWO_STEPS)
    assert cli.main(["--lesson", str(path)]) == 0
    assert run_app_sees == {
        "lesson": path.name,
        "step_title": "Watch the losses",
        "start_page": False,
    }


def test_ganlab_with_nothing_given_shows_the_start_page(run_app_sees, monkeypatch):
    # The default experiment, shrunk: only the start page is under test here.
    monkeypatch.setattr("ganlab.kernel.presets.default_experiment", tiny_config)
    assert cli.main([]) == 0
    assert run_app_sees["start_page"] is True
    assert run_app_sees["lesson"] is None


def test_ganlab_lesson_with_a_broken_file_exits_2_naming_file_step_and_key(tmp_path, capsys):
    path = lesson_file(
        tmp_path,
        """
        [[step]]
        title = { en = "One", es = "Uno" }
        text = { en = "x", es = "x" }
        run = "fast"
        """,
    )
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--lesson", str(path)])
    assert exit_info.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert str(path) in err
    assert "step 1" in err
    assert "run" in err


def test_a_file_opened_by_two_spellings_of_its_path_is_one_recent_entry(
    window, tmp_path, monkeypatch
):
    path = lesson_file(tmp_path, TWO_STEPS)
    monkeypatch.chdir(tmp_path)
    window.remember_file(path.name)  # relative, as typed in a terminal
    window.remember_file(str(path))
    page = window.lessons.show_start_page()
    assert [entry[0] for entry in page.entries("recent")].count(str(path)) == 1
    assert all(entry[0] != path.name for entry in page.entries("recent"))
