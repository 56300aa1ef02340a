"""Lessons: plain TOML files that guide a class through an experiment, step by step. No Qt.

A lesson names an experiment (a preset or an experiment file) and a list of steps. Each
step shows a short text in English and Spanish, may switch the experiment or change
settings, chooses the panels and controls shown, runs or pauses training and may wait
for a condition on the live values (``until = "modes_captured <= 2"``) within a
``budget`` of training steps. The file format is in the README ("Lessons"); the shipped
lessons live in ``resources/lessons/NN_name.toml``.

This module reads and validates lesson files (:func:`load_lesson`), evaluates a step's
condition on the loop's reports (:class:`ConditionWatcher`, a small ``ast``-based
evaluator, never ``eval``) and runs a lesson headless with the real engine
(:func:`check_lesson`, what ``ganlab lessons --check`` does). Loading runs in any
thread; :func:`check_lesson` drives one training loop in a thread of its own.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import queue
import threading
import time
import tomllib
import typing
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import ConfigError, GanlabError
from ganlab.kernel.i18n import N_, _, language

# Panels a step may show (every other panel is hidden while the step is open).
PANELS: tuple[str, ...] = (
    "view",
    "controls",
    "curves",
    "metrics",
    "explorer",
    "log",
    "slow_motion",
    "lesson",
)
# Window actions a step may allow under the teacher's lock, besides dotted config keys.
ACTIONS: tuple[str, ...] = (
    "play",
    "step",
    "step_d",
    "step_g",
    "reset",
    "speed",
    "slow_motion",
    "evaluate",
    "open",
    "save",
)
RUN_MODES: tuple[str, ...] = ("play", "pause")
# Names a condition may read besides the scalar columns and diagnosed_<kind>.
LR_NAMES: tuple[str, ...] = ("lr_d", "lr_g")
# Keys of a MetricsReport: the toy metrics (Trainer.toy_metrics: divergences, their noise
# floor, D's bound on the JSD, mode coverage, the 1-D Wasserstein distance) and the
# families' own measures (FamilyViews.metrics).
METRIC_NAMES: tuple[str, ...] = (
    "jsd",
    "kl_real_fake",
    "kl_fake_real",
    "tv",
    "fake_outside",
    "jsd_floor",
    "kl_real_fake_floor",
    "kl_fake_real_floor",
    "tv_floor",
    "d_bound",
    "modes_captured",
    "num_modes",
    "high_quality",
    "reverse_kl",
    "w1",
    # pix2pix (ganlab.models.pix2pix.Views.metrics): G on the held-out pairs, and the
    # identity (output = input) and mean-image baselines
    "l1_held_out",
    "psnr",
    "l1_identity",
    "psnr_identity",
    "l1_mean",
    "psnr_mean",
    # CycleGAN (ganlab.models.cyclegan.Views.metrics): held-out cycle error, share of
    # translations the domain classifier puts in the target domain
    "cycle_error",
    "cycle_error_a",
    "cycle_error_b",
    "target_share",
    "target_share_ab",
    "target_share_ba",
    "real_share",
    # StyleGAN-lite (ganlab.models.stylegan.Views.path_lengths): pixel path lengths along
    # paths in z and in w
    "ppl_z",
    "ppl_w",
)
# Scalar columns are averaged over this many of the latest steps reported.
SCALAR_WINDOW = 50
# ``--check``: steps trained for a step that says run = "play" without an ``until``.
PLAY_STEPS = 20


def _diagnosis_kinds() -> tuple[str, ...]:
    from ganlab.metrics.diagnostics import TITLES

    return tuple(TITLES)


def condition_names() -> tuple[str, ...]:
    """Every name a condition may read, sorted."""
    names = {"step", "paused", *rep.SCALAR_COLUMNS, *LR_NAMES, *METRIC_NAMES}
    names.update(f"diagnosed_{kind}" for kind in _diagnosis_kinds())
    return tuple(sorted(names))


class LessonError(ConfigError):
    """A lesson file is wrong: names the file, the step (1-based) and the key, and the fix."""

    def __init__(
        self, message: str, *, path: str | None = None, step: int | None = None, key: str = ""
    ):
        where = [str(path)] if path else []
        if step is not None:
            where.append(_("step {number}").format(number=step))
        if key:
            where.append(_("key '{key}'").format(key=key))
        super().__init__(message)
        self.path = str(path) if path else None
        self.key = key or None
        self.step = step
        self.args = (f"{', '.join(where)}: {message}" if where else message,)

    def __str__(self) -> str:
        return str(self.args[0])


# --------------------------------------------------------------------------- data


def localized(texts: Mapping[str, str], lang: str | None = None) -> str:
    """The text for ``lang`` (default: the language in use), else the English one."""
    lang = lang or language()
    return texts.get(lang) or texts.get("en", "")


@dataclass(frozen=True)
class LessonStep:
    """One step of a lesson, as in the file (``[[step]]``); texts are ``{lang: text}``."""

    title: dict[str, str]
    text: dict[str, str]
    experiment: str | None = None  # preset name or .toml path (relative to the lesson)
    changes: dict[str, Any] = field(default_factory=dict)  # the file's `set`: dotted key -> value
    reset: bool = False  # fresh weights when the step opens
    panels: tuple[str, ...] | None = None  # None: the step does not choose (window default)
    controls: tuple[str, ...] | None = None  # None: the step does not restrict
    point: str | None = None  # the panel to highlight
    run: str = "pause"  # "play" or "pause" when the step opens
    until: str | None = None  # condition that completes the step
    budget: int | None = None  # training steps allowed to reach `until`

    @property
    def set(self) -> dict[str, Any]:
        """The file's ``set`` table (dotted config key -> value)."""
        return self.changes

    def localized(self, key: str = "text", lang: str | None = None) -> str:
        """``title`` or ``text`` in ``lang`` (default: the language in use; falls back to en)."""
        return localized(getattr(self, key), lang)


@dataclass(frozen=True)
class Lesson:
    """A whole lesson file. ``path`` is where it was read from."""

    path: Path
    number: int
    title: dict[str, str]
    summary: dict[str, str]
    papers: tuple[str, ...]
    experiment: str
    lock: bool
    steps: tuple[LessonStep, ...]
    configs: tuple[cfg.ExperimentConfig, ...] = field(repr=False, compare=False, default=())

    def text(self, key: str = "title", lang: str | None = None) -> str:
        """``title`` or ``summary`` in ``lang`` (default: the language in use)."""
        return localized(getattr(self, key), lang)

    localized = text

    def config_for_step(self, i: int) -> cfg.ExperimentConfig:
        """The experiment in effect at step ``i`` (0-based): presets and sets applied in order.

        Raises
        ------
        IndexError
            ``i`` is not a step of this lesson.
        """
        if not 0 <= i < len(self.steps):
            raise IndexError(f"lesson has {len(self.steps)} steps, no step index {i}")
        return self.configs[i]

    def base_config(self) -> cfg.ExperimentConfig:
        """The lesson's own experiment, before any step."""
        return _load_experiment(self.experiment, self.path, None, "experiment")


# --------------------------------------------------------------------------- loading


def _lessons_folder() -> Path:
    return Path(str(resources.files("ganlab.resources") / "lessons"))


def shipped_lessons() -> list[Path]:
    """The lesson files in resources/lessons, sorted by their ``number`` (then name)."""
    folder = _lessons_folder()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.toml"):
        try:
            number = tomllib.loads(path.read_text(encoding="utf-8"))["lesson"]["number"]
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
            number = 10**9  # a broken file sorts last; load_lesson says what is wrong
        found.append((number if isinstance(number, int) else 10**9, path.name, path))
    return [p for _n, _name, p in sorted(found)]


def _load_experiment(
    name: str, lesson_path: Path, step: int | None, key: str
) -> cfg.ExperimentConfig:
    from ganlab.kernel.presets import load_preset, preset_names

    where = str(lesson_path)
    try:
        if name.endswith(".toml"):
            target = Path(name)
            if not target.is_absolute():
                target = lesson_path.parent / target
            if not target.is_file():
                raise LessonError(
                    _(
                        "no experiment file {file}; give a preset name or a .toml path "
                        "relative to the lesson file"
                    ).format(file=target),
                    path=where,
                    step=step,
                    key=key,
                )
            config = cfg.load(target)
        else:
            if name not in preset_names():
                raise LessonError(
                    _("no preset called '{name}'; known presets: {known}").format(
                        name=name, known=", ".join(preset_names())
                    ),
                    path=where,
                    step=step,
                    key=key,
                )
            config = load_preset(name)
        cfg.check_names(config)
    except LessonError:
        raise
    except ConfigError as exc:
        raise LessonError(
            _("experiment '{name}' is not usable: {problem}").format(name=name, problem=exc),
            path=where,
            step=step,
            key=key,
        ) from None
    return config


_LESSON_KEYS = ("number", "title", "summary", "papers", "experiment", "lock")
_STEP_KEYS = (
    "title",
    "text",
    "experiment",
    "set",
    "reset",
    "panels",
    "controls",
    "point",
    "run",
    "until",
    "budget",
)


class _Reader:
    """Type checks for one table, each error naming the file, the step and the key."""

    def __init__(self, path: Path, step: int | None, table: dict[str, Any], known: tuple[str, ...]):
        self.path, self.step, self.table = path, step, table
        for key in table:
            if key not in known:
                self.fail(
                    key,
                    _("unknown key; known keys here: {known}").format(known=", ".join(known)),
                )

    def fail(self, key: str, message: str) -> typing.NoReturn:
        raise LessonError(message, path=str(self.path), step=self.step, key=key)

    def texts(self, key: str, required: bool = True) -> dict[str, str]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(
                    key,
                    _('missing; write it as { en = "…", es = "…" }'),
                )
            return {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.fail(key, _('must be a table of texts per language, e.g. { en = "…", es = "…" }'))
        if not value.get("en", "").strip():
            self.fail(key, _('needs an English text (en = "…"); other languages are optional'))
        return dict(value)

    def typed(self, key: str, tp: type, what: str, default: Any = None) -> Any:
        value = self.table.get(key, default)
        if value is default:
            return value
        ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
        if not ok:
            self.fail(key, _("must be {what}, got {value!r}").format(what=_(what), value=value))
        return value

    def names(self, key: str, allowed: Callable[[str], bool], hint: str) -> tuple[str, ...] | None:
        value = self.table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, _('must be a list of names, e.g. ["view", "curves"]'))
        for name in value:
            if not allowed(name):
                self.fail(key, _("unknown name '{name}'; {hint}").format(name=name, hint=hint))
        return tuple(value)


def _is_config_key(name: str) -> bool:
    section, _dot, key = name.partition(".")
    hints = typing.get_type_hints(cfg.ExperimentConfig)
    if section not in hints or section in ("name", "description") or not key:
        return False
    return key in {f.name for f in dataclasses.fields(hints[section])}


def load_lesson(path: str | Path) -> Lesson:
    """Read and validate a lesson file.

    Every step's experiment is built (presets loaded, ``set`` values validated by the
    config's own rules, registry names checked) and every condition parsed, so a lesson
    that loads can be shown and run.

    Raises
    ------
    LessonError
        The file is missing, not TOML, or wrong; the message names the file, the step
        (1-based) and the key, and says what to write instead.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LessonError(_("no such lesson file"), path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LessonError(
            _("cannot be read: {problem}").format(problem=exc), path=str(path)
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(
            _("is not valid TOML: {problem}").format(problem=exc), path=str(path)
        ) from None
    top = _Reader(path, None, data, ("lesson", "step"))
    head = data.get("lesson")
    if not isinstance(head, dict):
        top.fail("lesson", _("missing [lesson] table with number, title and experiment"))
    raw_steps = data.get("step")
    if not isinstance(raw_steps, list) or not raw_steps:
        top.fail("step", _("a lesson needs at least one [[step]] table"))
    r = _Reader(path, None, head, _LESSON_KEYS)
    number = r.typed("number", int, N_("an integer"))
    if number is None:
        r.fail("lesson.number", _("missing: the lesson's position in the course list (an integer)"))
    experiment = r.typed("experiment", str, N_("a preset name or a .toml path"))
    if experiment is None:
        r.fail("lesson.experiment", _("missing: a preset name or a .toml path"))
    papers = r.table.get("papers", [])
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        r.fail("lesson.papers", _('must be a list of strings, e.g. ["Goodfellow et al. 2014"]'))
    config = _load_experiment(experiment, path, None, "lesson.experiment")
    title = r.texts("title")
    summary = r.texts("summary", required=False)
    lock = r.typed("lock", bool, N_("true or false"), False)

    steps: list[LessonStep] = []
    configs: list[cfg.ExperimentConfig] = []
    for i, table in enumerate(raw_steps, start=1):
        if not isinstance(table, dict):
            top.fail("step", _("each [[step]] must be a table"))
        step, config = _read_step(path, i, table, config)
        steps.append(step)
        configs.append(config)
    return Lesson(
        path=path,
        number=number,
        title=title,
        summary=summary,
        papers=tuple(papers),
        experiment=experiment,
        lock=lock,
        steps=tuple(steps),
        configs=tuple(configs),
    )


def _read_step(
    path: Path, i: int, table: dict[str, Any], previous: cfg.ExperimentConfig
) -> tuple[LessonStep, cfg.ExperimentConfig]:
    r = _Reader(path, i, table, _STEP_KEYS)
    title = r.texts("title")
    text = r.texts("text")
    experiment = r.typed("experiment", str, N_("a preset name or a .toml path"))
    config = previous
    if experiment is not None:
        config = _load_experiment(experiment, path, i, "experiment")
    changes = r.table.get("set", {})
    if not isinstance(changes, dict):
        r.fail("set", _('must be a table of dotted keys, e.g. { "optimizer_g.lr" = 0.0005 }'))
    for key, value in changes.items():
        if not _is_config_key(key):
            r.fail(
                f"set.{key}",
                _("unknown setting; use a dotted config key such as optimizer_g.lr or loss.name"),
            )
        try:
            config = cfg.with_value(config, key, value)
        except ConfigError as exc:
            message = str(exc).split(": ", 1)[-1]
            r.fail(f"set.{key}", message)
    try:
        cfg.check_names(config)
    except ConfigError as exc:
        r.fail("set", str(exc))
    reset = r.typed("reset", bool, N_("true or false"), False)
    panels = r.names(
        "panels",
        lambda n: n in PANELS,
        _("panels are: {names}").format(names=", ".join(PANELS)),
    )
    controls = r.names(
        "controls",
        lambda n: n in ACTIONS or _is_config_key(n),
        _("use a dotted config key (optimizer_g.lr, loss.name, …) or one of: {names}").format(
            names=", ".join(ACTIONS)
        ),
    )
    point = r.typed("point", str, N_("a panel name"))
    if point is not None and point not in PANELS:
        r.fail(
            "point",
            _("unknown panel '{name}'; panels are: {names}").format(
                name=point, names=", ".join(PANELS)
            ),
        )
    run = r.typed("run", str, N_('"play" or "pause"'), "pause")
    if run not in RUN_MODES:
        r.fail("run", _('must be "play" or "pause", got {value!r}').format(value=run))
    until = r.typed("until", str, N_('a condition such as "modes_captured <= 2"'))
    budget = r.typed("budget", int, N_("a positive integer (training steps)"))
    if budget is not None and budget <= 0:
        r.fail(
            "budget",
            _("must be a positive number of training steps, got {value}").format(value=budget),
        )
    if until is not None:
        if budget is None:
            r.fail(
                "budget",
                _(
                    "missing: a step with `until` needs `budget`, the training steps allowed "
                    "to reach it (e.g. budget = 4000)"
                ),
            )
        try:
            compile_condition(until)
        except ConditionError as exc:
            r.fail("until", str(exc))
    elif budget is not None:
        r.fail("budget", _("has no effect without `until`; add a condition or remove it"))
    step = LessonStep(
        title=title,
        text=text,
        experiment=experiment,
        changes=dict(changes),
        reset=reset,
        panels=panels,
        controls=controls,
        point=point,
        run=run,
        until=until,
        budget=budget,
    )
    return step, config


# --------------------------------------------------------------------------- conditions


class ConditionError(GanlabError):
    """A condition is not in the condition language, or reads an unknown name."""


_COMPARE: dict[type, Callable[[float, float], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


def compile_condition(condition: str) -> tuple[ast.expr, tuple[str, ...]]:
    """Parse ``condition``; return its tree and the names it reads, in order of appearance.

    Raises
    ------
    ConditionError
        A syntax error, a construct outside the language (calls, attributes, arithmetic...)
        or an unknown name; the message lists what is allowed.
    """
    try:
        tree = ast.parse(condition.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ConditionError(
            _(
                "condition '{condition}' is not valid: {problem}; write e.g. "
                '"modes_captured <= 2 and step > 500"'
            ).format(condition=condition, problem=exc.msg)
        ) from None
    known = set(condition_names())
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                visit(v)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            visit(node.operand)
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                bad()
            for v in (node.left, *node.comparators):
                visit_value(v)
        else:
            bad()

    def visit_value(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            if node.id not in known:
                raise ConditionError(
                    _(
                        "condition '{condition}' reads an unknown name '{name}'; known names: "
                        "{known}"
                    ).format(condition=condition, name=node.id, known=", ".join(sorted(known)))
                )
            if node.id not in names:
                names.append(node.id)
        elif _number(node) is None:
            bad()

    def bad() -> typing.NoReturn:
        raise ConditionError(
            _(
                "condition '{condition}' is outside the condition language: use comparisons "
                "(< <= > >= == !=) between names and numbers, joined by and, or, not and "
                "parentheses"
            ).format(condition=condition)
        )

    visit(tree)
    return tree, tuple(names)


def _number(node: ast.AST) -> float | None:
    """A numeric literal (with an optional sign), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _number(node.operand)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            return None
        return float(node.value)
    return None


class ConditionWatcher:
    """Evaluates a step's ``until`` condition on the loop's reports.

    Feed it every report (:meth:`observe`); :meth:`holds` says whether the condition is
    true now. A condition that reads a value not reported yet (e.g. a metric before the
    first ``MetricsReport``) does not hold. Scalar columns are the mean of the last
    ``SCALAR_WINDOW`` steps reported (NaN rows skipped); ``lr_d`` and ``lr_g`` are the
    latest; ``step`` is the trainer's step count, the number the window shows;
    ``diagnosed_<kind>`` is 1 once a Diagnosis of that kind was reported since the last
    :meth:`reset`; ``paused`` is 1 after the loop reported the paused state (e.g. its
    own pause after NaN) until it plays again.

    Raises
    ------
    ConditionError
        From the constructor, for a condition outside the language or an unknown name.
    """

    def __init__(self, condition: str):
        self.condition = condition
        self._tree, self.names = compile_condition(condition)
        self._scalars: dict[str, deque[float]] = {}
        self._metrics: dict[str, float] = {}
        self._diagnosed: set[str] = set()
        self._step: int | None = None
        self._paused = 0
        self.reset()

    def reset(self) -> None:
        """Forget everything but the step count (call it when a lesson step opens)."""
        self._scalars = {
            name: deque(maxlen=SCALAR_WINDOW) for name in (*rep.SCALAR_COLUMNS, *LR_NAMES)
        }
        self._metrics = {}
        self._diagnosed = set()
        self._paused = 0

    def observe(self, report: rep.Report) -> None:
        """Take in one loop report (any kind; the irrelevant ones are ignored)."""
        if isinstance(report, rep.ScalarBatch):
            for name, column in report.values.items():
                if name in self._scalars:
                    self._scalars[name].extend(float(v) for v in column)
            self._scalars["lr_d"].extend(float(v) for v in report.lrs["d"])
            self._scalars["lr_g"].extend(float(v) for v in report.lrs["g"])
            if len(report):
                self._step = int(report.steps[-1])
        elif isinstance(report, rep.MetricsReport):
            self._metrics = dict(report.values)
            self._step = report.step
        elif isinstance(report, rep.Diagnosis):
            self._diagnosed.add(report.kind)
        elif isinstance(report, rep.StateChanged):
            self._step = report.step
            if report.state == "paused":
                self._paused = 1
            elif report.state == "playing":
                self._paused = 0
        elif isinstance(report, rep.SegmentStarted):
            # New networks: the old curves and metrics say nothing about them.
            self._step = report.step
            kept = self._diagnosed, self._paused
            self.reset()
            self._diagnosed, self._paused = kept

    def value(self, name: str) -> float:
        """The current value of ``name`` (NaN when nothing was reported yet)."""
        if name == "step":
            return float("nan") if self._step is None else float(self._step)
        if name == "paused":
            return float(self._paused)
        if name.startswith("diagnosed_"):
            return 1.0 if name[len("diagnosed_") :] in self._diagnosed else 0.0
        if name in LR_NAMES:
            lrs = self._scalars[name]
            return lrs[-1] if lrs else float("nan")
        if name in self._scalars:
            finite = [v for v in self._scalars[name] if not math.isnan(v)]
            return sum(finite) / len(finite) if finite else float("nan")
        return float(self._metrics.get(name, float("nan")))

    def values(self) -> dict[str, float]:
        """What the condition reads now, by name (NaN: not reported yet)."""
        return {name: self.value(name) for name in self.names}

    def holds(self) -> bool:
        """Whether the condition is true now (False while a value it reads is unknown)."""
        values = self.values()
        if any(math.isnan(v) for v in values.values()):
            return False
        return bool(self._eval(self._tree, values))

    def _eval(self, node: ast.AST, values: dict[str, float]) -> Any:
        if isinstance(node, ast.BoolOp):
            parts = (self._eval(v, values) for v in node.values)
            return all(parts) if isinstance(node.op, ast.And) else any(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self._eval(node.operand, values)
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, values)
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, values)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Name):
            return values[node.id]
        number = _number(node)
        assert number is not None  # compile_condition allowed only these
        return number

    def describe(self) -> str:
        """``"modes_captured = 5, step = 1200"``: the values read now, for a status line."""
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in self.values().items())


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "—"
    if value == int(value) and abs(value) < 1e12:
        return str(int(value))
    return f"{value:.4g}"


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class StepCheck:
    """How one step went in :func:`check_lesson`."""

    number: int  # 1-based, as in the messages
    title: str
    condition: str | None
    budget: int | None
    reached: bool  # the condition held within the budget (True for a step without one)
    steps_used: int  # training steps run in this step
    seconds: float  # wall-clock time of the step
    values: dict[str, float]  # what the condition read at the end
    problem: str = ""  # why the step failed, for a person ("" when it passed)


@dataclass(frozen=True)
class LessonCheck:
    """The result of :func:`check_lesson`: one :class:`StepCheck` per step run."""

    lesson: Lesson
    steps: tuple[StepCheck, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """Every step ran and every condition was reached within its budget."""
        return len(self.steps) == len(self.lesson.steps) and all(s.reached for s in self.steps)

    def problems(self) -> list[str]:
        """One message per failed step, naming the file and the step."""
        return [s.problem for s in self.steps if s.problem]


# The check's clock: each reading advances it by this many seconds, so publishing depends on
# the loop's own work, not on the machine's load (about 2 readings per step: metrics every
# ~100 steps, scalar batches every ~25), and a check gives the same result on any machine.
_CHECK_TICK_S = 0.005
_CHECK_SCALAR_HZ = 4.0
# Longest wait for the loop's answer to one command (a bug, not a slow machine, exceeds it).
_CHECK_TIMEOUT_S = 300.0


class _CheckClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            self.now += _CHECK_TICK_S
            return self.now


class _Driver:
    """Drives one ``loop.run`` generator in a thread of its own, as the window's worker does."""

    def __init__(self, config: cfg.ExperimentConfig):
        from ganlab.engine import loop
        from ganlab.kernel import commands as cmd

        self.cmd = cmd
        self.inbox: queue.Queue[Any] = queue.Queue()
        self.out: queue.Queue[Any] = queue.Queue()
        self.step = 0
        self.request_id = 0
        self.errors: list[rep.TrainingError] = []
        self.segment_started = False
        self.paused_itself = False
        self.watcher: ConditionWatcher | None = None
        reports = loop.run(
            config,
            self.inbox,
            clock=_CheckClock(),
            start_paused=True,
            snapshots=False,
            snapshot_ack=False,
            scalar_hz=_CHECK_SCALAR_HZ,
            at_limit="pause",
        )
        self.thread = threading.Thread(target=self._pump, args=(reports,), daemon=True)
        self.thread.start()

    def _pump(self, reports: Iterable[rep.Report]) -> None:
        try:
            for report in reports:
                self.out.put(report)
        except BaseException as exc:  # carried to the checking thread
            self.out.put(exc)
        self.out.put(None)

    def next_report(self) -> rep.Report:
        try:
            item = self.out.get(timeout=_CHECK_TIMEOUT_S)
        except queue.Empty:
            raise GanlabError(
                _("the training loop did not answer within {seconds} s").format(
                    seconds=int(_CHECK_TIMEOUT_S)
                )
            ) from None
        if item is None:
            raise GanlabError(_("the training loop ended unexpectedly"))
        if isinstance(item, BaseException):
            raise item
        self._note(item)
        return item

    def _note(self, report: rep.Report) -> None:
        if self.watcher is not None:
            self.watcher.observe(report)
        if isinstance(report, rep.ScalarBatch) and len(report):
            self.step = int(report.steps[-1])
        elif isinstance(report, rep.SegmentStarted):
            self.step = report.step
            self.segment_started = True
        elif isinstance(report, rep.StateChanged | rep.MetricsReport):
            self.step = report.step
        elif isinstance(report, rep.TrainingError):
            self.errors.append(report)
        if isinstance(report, rep.StateChanged) and report.state == "paused":
            self.paused_itself = True

    def send(self, *commands: Any) -> None:
        """Put ``commands`` on the inbox and read reports until the loop has handled them."""
        for command in commands:
            self.inbox.put(command)
        self.request_id += 1
        marker = self.request_id
        self.inbox.put(self.cmd.RequestSamples(request_id=marker, n=1))
        while True:
            report = self.next_report()
            if isinstance(report, rep.SamplesReady) and report.request_id == marker:
                return
            if isinstance(report, rep.TrainingError) and "Sample request" in report.message:
                # The marker refused (a family without a latent z, e.g. pix2pix): not an
                # error of the commands sent.
                if report in self.errors:
                    self.errors.remove(report)
                return

    def close(self) -> None:
        self.inbox.put(self.cmd.Stop())
        self.thread.join(timeout=30)


def check_lesson(
    lesson: Lesson, progress: Callable[[StepCheck], None] | None = None
) -> LessonCheck:
    """Run ``lesson`` headless with the real engine and check every step's condition.

    One training loop (``ganlab.engine.loop.run``) is driven through its inbox as the window
    drives it: each step applies its experiment (a new experiment gets fresh networks), its
    ``set`` changes and its ``reset``; a step with ``until`` trains until the condition
    holds or ``budget`` training steps have passed; a step without ``until`` that says
    ``run = "play"`` trains ``PLAY_STEPS`` steps; a step that says ``run = "pause"`` only
    applies its settings. The loop runs on a clock that advances with its own work, so
    metrics come about every 100 steps and the result does not depend on the machine's load.

    Parameters
    ----------
    lesson
        A lesson from :func:`load_lesson`.
    progress
        Called with each step's :class:`StepCheck` as soon as the step is done.

    Returns
    -------
    LessonCheck
        Stops at the first failed step (the steps after it depend on it).
    """
    started = time.monotonic()
    results: list[StepCheck] = []
    driver = _Driver(lesson.config_for_step(0))
    try:
        driver.send()  # the first segment is built
        for i, step in enumerate(lesson.steps):
            result = _check_step(lesson, i, step, driver)
            results.append(result)
            if progress is not None:
                progress(result)
            if not result.reached:
                break
    finally:
        driver.close()
    return LessonCheck(lesson, tuple(results), time.monotonic() - started)


def _check_step(lesson: Lesson, i: int, step: LessonStep, driver: _Driver) -> StepCheck:
    cmd = driver.cmd
    t0 = time.monotonic()
    where = _("{file}, step {number}").format(file=lesson.path, number=i + 1)
    watcher = ConditionWatcher(step.until) if step.until else None
    driver.watcher = watcher
    driver.errors = []
    if i > 0 and (step.experiment is not None or step.changes):
        driver.segment_started = False
        driver.send(cmd.ApplyConfig(lesson.config_for_step(i)))
        if step.experiment is not None and not driver.segment_started:
            driver.send(cmd.Reset())  # another experiment always starts from fresh networks
    if step.reset and i > 0:
        driver.send(cmd.Reset())
    if watcher is not None:
        watcher.reset()
    first = driver.step

    def result(reached: bool, problem: str = "") -> StepCheck:
        return StepCheck(
            number=i + 1,
            title=step.localized("title"),
            condition=step.until,
            budget=step.budget,
            reached=reached,
            steps_used=max(0, driver.step - first),
            seconds=time.monotonic() - t0,
            values=watcher.values() if watcher else {},
            problem=problem,
        )

    if driver.errors:
        return result(
            False,
            _("{where}: the engine refused the step's settings: {problem}").format(
                where=where, problem=driver.errors[0].message
            ),
        )
    if watcher is None and step.run == "pause":
        return result(True)
    budget = step.budget if step.budget is not None else PLAY_STEPS
    driver.paused_itself = False
    driver.inbox.put(cmd.SetSpeed(0.0))
    driver.inbox.put(cmd.Play())
    held = False
    while True:
        report = driver.next_report()
        if isinstance(report, rep.StateChanged) and report.state == "playing":
            driver.paused_itself = False
        if watcher is not None and watcher.holds():
            held = True
            break
        if driver.step - first >= budget:
            break
        if driver.paused_itself or (
            isinstance(report, rep.StateChanged) and report.state in ("finished", "stopped")
        ):
            break
    stopped_early = driver.paused_itself and not held
    driver.send(cmd.Pause())
    if watcher is None:
        if stopped_early:
            message = driver.errors[-1].message if driver.errors else ""
            return result(
                False,
                _("{where}: training paused itself at step {step}: {problem}").format(
                    where=where, step=driver.step, problem=message
                ),
            )
        return result(True)
    if held:
        return result(True)
    reason = ""
    if stopped_early:
        reason = " " + _("Training paused itself: {problem}").format(
            problem=driver.errors[-1].message if driver.errors else ""
        )
    return result(
        False,
        _(
            "{where}: condition '{condition}' not reached within its budget of {budget} "
            "steps (ran {used}); values reached: {values}.{reason} Raise `budget`, or change "
            "the step's settings or condition"
        ).format(
            where=where,
            condition=step.until,
            budget=step.budget,
            used=driver.step - first,
            values=watcher.describe(),
            reason=reason,
        ),
    )
