"""The ganlab command speaks the catalogue's language: its help, argparse's own words, its
messages and listings, with --lang read before any parser is built.

Most tests install a marked translation that prefixes every message with «ES»: a text that
comes out without the mark did not go through the catalogue. They hold whatever the
shipped Spanish catalogue contains.
"""

from __future__ import annotations

import argparse
import gettext
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from ganlab import cli
from ganlab.kernel import i18n

MARK = "«ES»"
ROOT = Path(__file__).resolve().parents[1]


class _Marked(gettext.NullTranslations):
    """Every message, marked: what the tests see when a text went through the catalogue."""

    def gettext(self, message: str) -> str:
        return MARK + message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MARK + (singular if n == 1 else plural)


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translation", _Marked())


def _exit_code(argv: list[str]) -> int | str | None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    return info.value.code


def _actions(parser: argparse.ArgumentParser):
    """Every argument of ``parser`` and of its subcommands: (owner, action, is a command's
    line in the owner's help)."""
    for action in parser._actions:
        yield parser, action, False
        if isinstance(action, argparse._SubParsersAction):
            for line in action._choices_actions:
                yield parser, line, True
            for sub in action.choices.values():
                yield from _actions(sub)


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("build", [cli.build_parser, cli.build_lab_parser])
def test_every_help_text_metavar_and_description_is_looked_up(build) -> None:
    parser = build()
    seen = 0
    for owner, action, names_a_command in _actions(parser):
        if action.help is not None and action.help is not argparse.SUPPRESS:
            assert action.help.startswith(MARK), (owner.prog, action.dest, action.help)
            seen += 1
        if names_a_command or action.metavar == "A,B":
            pass  # a command's name, column names: typed as they are
        elif isinstance(action.metavar, str):
            assert action.metavar.startswith(MARK), (owner.prog, action.dest, action.metavar)
        elif action.option_strings and action.nargs != 0 and action.choices is None:
            # argparse would print the dest in capitals, an English word
            assert action.metavar is not None, (owner.prog, action.dest)
        if owner.description:
            assert owner.description.startswith(MARK), owner.prog
    assert seen >= 7  # the lab's own: -h --version EXPERIMENT --run --lang --smoke-test --timeout


@pytest.mark.usefixtures("marked")
def test_the_labs_help_argparses_words_included_comes_from_the_catalogue(capsys) -> None:
    assert _exit_code(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(MARK + "usage: " + MARK + "ganlab [-h]")
    for words in (
        "positional arguments:",
        "options:",
        "show this help message and exit",
        "show program's version number and exit",
        "experiment file to open (TOML)",
        "commands (run headless; see 'ganlab COMMAND --help'):",
    ):
        assert MARK + words in out, words
    for text in cli.COMMANDS.values():
        assert MARK + text in out


@pytest.mark.usefixtures("marked")
def test_a_subcommands_help_comes_from_the_catalogue(capsys) -> None:
    assert _exit_code(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(MARK + "usage: ganlab train [-h]")
    assert MARK + "Train an experiment without a window." in out
    assert f"--resume {MARK}RUN_DIR" in out
    assert MARK + "continue a run from its latest checkpoint" in out
    assert MARK + "options:" in out


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["train", "--stepz", "3"], "unrecognized arguments: --stepz"),
        (["train", "--steps", "many"], "argument --steps: " + MARK + "invalid int value"),
        (["eval", "toy"], "the following arguments are required: --samples, --source"),
        (["data", "sample", "--n", "3", "--out", "x.npy"], "one of the arguments"),
        (["eval", "images", "--real", "a", "--fake", "b", "--features", "x"], "invalid choice"),
        (["--run"], "argument --run: " + MARK + "expected one argument"),
    ],
)
def test_argparses_errors_come_from_the_catalogue(capsys, argv, words) -> None:
    assert _exit_code(argv) == cli.EXIT_BAD_INPUT
    err = " ".join(capsys.readouterr().err.split())  # the message is one wrapped paragraph
    assert err.startswith(MARK + "usage: ")
    assert MARK + "ganlab: error: " + MARK in err  # our frame around argparse's words
    assert MARK + words in err
    assert "--help')" in err


@pytest.mark.usefixtures("marked")
def test_the_commands_own_errors_come_from_the_catalogue(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.npy"
    argv = ["eval", "toy", "--samples", str(missing), "--source", "ring8"]
    assert _exit_code(argv) == cli.EXIT_BAD_INPUT
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith(f"{MARK}ganlab: error: {MARK}{missing}: no such file ({MARK}generated")


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("command", ["sources", "presets"])
def test_every_line_of_the_listings_comes_from_the_catalogue(capsys, command) -> None:
    assert cli.main([command]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 5
    for line in lines:
        assert MARK in line, line


@pytest.mark.usefixtures("marked")
def test_train_names_a_preset_in_the_catalogues_words(tmp_path, capsys) -> None:
    from ganlab.kernel.presets import load_preset

    argv = ["train", "--preset", "ring8", "--steps", "2", "--out", str(tmp_path / "run")]
    assert cli.main(argv) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert MARK + load_preset("ring8").name in first


@pytest.mark.usefixtures("marked")
def test_registry_titles_are_shown_in_the_catalogues_words(capsys) -> None:
    from ganlab.kernel.registry import LOSSES

    assert cli.main(["sources"]) == 0
    out = capsys.readouterr().out
    for _name, loss in LOSSES.items():
        assert MARK + loss.title in out


def test_argparse_is_itself_again_after_the_command(capsys) -> None:
    assert _exit_code(["--help"]) == 0
    assert _exit_code(["train", "--stepz"]) == cli.EXIT_BAD_INPUT
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def test_the_argparse_words_we_translate_are_argparses_own() -> None:
    """A word listed in cli.ARGPARSE_MESSAGES that this Python's argparse spells otherwise
    would stay English: the list must follow argparse."""
    own = set()
    for _line, message, _comments, _context in extract_from_file(
        "python", argparse.__file__, keywords={"_": None, "ngettext": (1, 2)}, comment_tags=()
    ):
        own.add(message if isinstance(message, str) else message[0])
    assert set(cli.ARGPARSE_MESSAGES) <= own, sorted(set(cli.ARGPARSE_MESSAGES) - own)


# ------------------------------------------------------------------ --lang


@pytest.fixture
def spanish_is_marked(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """set_language installs the marked translation: what --lang chose shows in the text."""
    calls: list[str | None] = []

    def set_language(code: str | None) -> str:
        calls.append(code)
        monkeypatch.setattr(i18n, "_translation", _Marked())
        return "es"

    monkeypatch.setattr(i18n, "set_language", set_language)
    return calls


LAB_HELP = "experiment file to open (TOML)"
TRAIN_HELP = "Train an experiment without a window."


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--lang", "es", "--help"], LAB_HELP),
        (["--lang=es", "--help"], LAB_HELP),
        (["--help", "--lang", "es"], LAB_HELP),
        (["--lang", "es", "train", "--help"], TRAIN_HELP),
        (["train", "--help", "--lang", "es"], TRAIN_HELP),
        (["eval", "--lang=es", "toy", "--help"], "the data source they should match"),
    ],
)
def test_lang_is_chosen_before_any_parser_is_built(spanish_is_marked, capsys, argv, words):
    assert _exit_code(argv) == 0
    assert spanish_is_marked == ["es"]
    out = capsys.readouterr().out
    assert out.startswith(MARK + "usage: ")
    assert MARK + "show this help message and exit" in out
    assert MARK + words in out


def test_lang_with_a_command_sets_the_language_and_reaches_the_command(capsys) -> None:
    assert cli.main(["--lang", "es", "presets"]) == 0
    assert i18n.language() == "es"  # ganlab_es.mo ships
    assert capsys.readouterr().err == ""  # no complaint about the language
    assert cli.main(["presets", "--lang=en"]) == 0
    assert i18n.language() == "en"


def test_the_window_gets_the_language_asked_for(monkeypatch) -> None:
    from ganlab.app import main as app_main

    opened = {}

    def window_opened(config, **kwargs):
        opened.update(kwargs)
        return 0

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(app_main, "run_app", window_opened)
    assert cli.main(["--lang", "es"]) == 0
    assert opened["language"] == "es"


def test_an_unknown_language_says_so_and_speaks_english(capsys) -> None:
    assert cli.main(["--lang", "xx", "presets"]) == 0
    captured = capsys.readouterr()
    assert "no translation for the language 'xx'; using English" in captured.err
    assert i18n.language() == "en"
    assert "(default)" in captured.out


def test_lang_without_a_value_is_an_error_not_a_language(capsys) -> None:
    assert _exit_code(["--lang"]) == cli.EXIT_BAD_INPUT
    assert "argument --lang: expected one argument" in capsys.readouterr().err


def _language_in_a_fresh_process(argv: list[str], env_language: str) -> str:
    """The language a real ``ganlab`` process ends up in, with LANGUAGE=env_language."""
    code = (
        "import sys; from ganlab.cli import main; from ganlab.kernel import i18n; "
        f"main({argv!r}); print(i18n.language())"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANGUAGE"] = env_language
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.splitlines()[-1]


def test_a_real_process_takes_lang_over_the_environment_and_else_the_environment() -> None:
    assert _language_in_a_fresh_process(["--lang", "es", "presets"], "en") == "es"
    assert _language_in_a_fresh_process(["presets"], "es") == "es"
    assert _language_in_a_fresh_process(["presets", "--lang", "en"], "es") == "en"
