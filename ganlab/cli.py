"""The ``ganlab`` command. Runs in the main thread; headless subcommands never import Qt.

    ganlab [EXPERIMENT.toml | --run DIR] [--lang CODE]   open the lab's window (default:
                                      the ring of 8; a run shows its history so far)
    ganlab --smoke-test [--timeout S] check this installation (JSON on stdout)
    ganlab train [EXPERIMENT.toml | --preset NAME] [--steps N] [--out DIR] [--device D] [--seed S]
    ganlab train --resume RUN_DIR --steps N
    ganlab presets                    the shipped presets, one line each
    ganlab sources                    registered data sources, model families and losses
    ganlab data sample --source NAME --n N --out FILE.npy
    ganlab eval toy --samples FILE.npy --source NAME
    ganlab eval features --real A.npy --fake B.npy
    ganlab eval images --real (DIR|SOURCE) --fake (DIR|RUN) --metrics is,fid,kid [--weights F]
    ganlab export RUN_DIR --format gif|mp4|png|svg|csv|tensorboard [--view data|curves]
                  [--out PATH] [--fps N] [--size WxH] [--from STEP] [--to STEP] [--segment N]
    ganlab --version | --help         (--help lists the lab's options and the commands)

Bad input (a broken experiment file, a missing folder, a refused checkpoint) ends with
exit code 2 and a one-paragraph message, never a traceback.

Every word the command prints goes through ganlab's gettext catalogue
(:mod:`ganlab.kernel.i18n`), argparse's own words included (:func:`_argparse_in_our_language`).
``--lang CODE`` (anywhere on the line, with any command) is read before the parsers are
built, because their help texts are translated as they are built; without it the language
comes from the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import queue
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from ganlab import __version__
from ganlab.kernel import i18n
from ganlab.kernel.i18n import N_, _, ngettext

EXIT_OK = 0
EXIT_DIVERGED = 1  # training hit NaN/Inf and stopped
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130

DEFAULT_HEADLESS_STEPS = 2000
# A headless run draws nothing: 5 scalar batches a second are plenty for the progress line
# and cost less than the window's 30 (each batch is a device sync and a metrics write).
HEADLESS_SCALAR_HZ = 5.0
# ganlab train --history-fps: the most view snapshots a second a run's history may keep.
MAX_HISTORY_FPS = 30.0

# argparse's own words, as Python 3.11 spells them: argparse looks them up with the
# module-level ``_`` / ``ngettext`` of its own module, which _argparse_in_our_language()
# points at ganlab's catalogue. Marked here so that Babel copies them into ganlab.pot
# (resources/translations/update.sh). They keep argparse's %-placeholders, which argparse
# fills after the lookup. Only the words a user can meet are listed (not the errors that
# only a wrong parser definition raises, nor those of options we do not use); a word
# another Python version spells differently simply stays English.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


@contextlib.contextmanager
def _argparse_in_our_language() -> Iterator[None]:
    """Within the block, argparse's own words ("usage: ", "options", "the following
    arguments are required: %s", ...) come from ganlab's catalogue.

    argparse translates them with ``gettext.gettext`` (the ``messages`` domain, which no
    catalogue of ours feeds), bound at import as ``argparse._`` and ``argparse.ngettext``
    and looked up at call time; the block points both at :mod:`ganlab.kernel.i18n` and
    restores them on the way out, whatever happens (``--help`` and errors exit with
    SystemExit), so that nothing else in the process sees the change. :class:`_Parser`
    builds, parses and formats inside it.
    """
    missing = object()
    saved = {name: getattr(argparse, name, missing) for name in ("_", "ngettext")}
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                delattr(argparse, name)
            else:
                setattr(argparse, name, value)


class _Parser(argparse.ArgumentParser):
    """argparse in ganlab's language (its own words too, see _argparse_in_our_language),
    reporting errors in the same one-paragraph form as the rest."""

    def __init__(self, *args, **kwargs) -> None:
        with _argparse_in_our_language():  # "positional arguments", "options", -h's help
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        with _argparse_in_our_language():  # errors, and --help printed while parsing
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in_our_language():
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in_our_language():
            return super().format_help()

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _fail(_("{message} (see '{prog} --help')").format(message=message, prog=self.prog))


def _fail(message: str) -> None:
    print(_paragraph(_("ganlab: error: {message}").format(message=message)), file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


def _paragraph(text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=100, break_long_words=False, break_on_hyphens=False
    )


def _add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        action="version",
        version=f"ganlab {__version__}",
        help=_("show program's version number and exit"),
    )


# The subcommands with their one-line help (English msgids, translated where shown):
# 'ganlab --help' lists them under the lab's own options, and 'ganlab COMMAND --help'
# tells the rest. A new subcommand: one entry here, its parser in build_parser(), its
# branch in _main().
COMMANDS: dict[str, str] = {
    "train": N_("train headless and write a run directory"),
    "presets": N_("list the shipped presets"),
    "sources": N_("list data sources, model families and losses"),
    "data": N_("data utilities (the real data the trainer would draw, as .npy/.npz)"),
    "eval": N_("evaluate samples: toy metrics, FID/KID, image metrics"),
    "lessons": N_("list the shipped lessons, or check that they work (--check)"),
    "export": N_("export a run's evolution: GIF, MP4, PNG, SVG, CSV or TensorBoard"),
}
# "trainer" is the process a window starts for its own run: not for people, so unlisted.
SUBCOMMANDS = (*COMMANDS, "trainer")


def build_parser() -> argparse.ArgumentParser:
    """The headless subcommands' parser (texts translated now: set the language first)."""
    parser = _Parser(
        prog="ganlab", description=_("A desktop laboratory for generative adversarial networks.")
    )
    _add_version(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar=_("COMMAND"))

    train = sub.add_parser(
        "train",
        help=_(COMMANDS["train"]),
        description=_("Train an experiment without a window."),
    )
    what = train.add_mutually_exclusive_group()
    what.add_argument(
        "experiment", nargs="?", metavar=_("EXPERIMENT"), help=_("experiment file (TOML)")
    )
    what.add_argument(
        "--preset",
        metavar=_("NAME"),
        help=_(
            "a shipped preset (see 'ganlab presets'); with no experiment, preset or run, "
            "the built-in default, as the window opens"
        ),
    )
    what.add_argument(
        "--resume", metavar=_("RUN_DIR"), help=_("continue a run from its latest checkpoint")
    )
    train.add_argument(
        "--steps",
        type=int,
        metavar=_("N"),
        help=_("total iterations of the run (a resumed run continues up to N)"),
    )
    train.add_argument(
        "--out",
        metavar=_("DIR"),
        help=_("run directory to create (default: runs/<date>-<name>)"),
    )
    train.add_argument("--device", metavar=_("DEVICE"), help=_("auto, cpu, cuda, cuda:N or mps"))
    train.add_argument("--seed", type=int, metavar=_("SEED"), help=_("random seed"))
    train.add_argument(
        "--checkpoint-every",
        type=int,
        metavar=_("N"),
        help=_("also write a checkpoint every N iterations"),
    )
    train.add_argument(
        "--keep-checkpoints",
        type=int,
        metavar=_("N"),
        help=_("keep only the newest N checkpoints of the run (default: keep all)"),
    )
    train.add_argument(
        "--history-fps",
        type=float,
        metavar=_("N"),
        help=_(
            "view snapshots a second the run's history keeps, for the timeline and "
            "'ganlab export' (default 1, at most {most}): more for a short run; each costs "
            "the trainer about 10 to 30 ms of drawing, and a long run's history stays "
            "bounded (the older frames are thinned)"
        ).format(most=f"{MAX_HISTORY_FPS:g}"),
    )
    train.add_argument(
        "--columns",
        metavar="A,B",
        help=_(
            "points file with more than two columns: the two to use, by 0-based index or "
            "header name (e.g. 0,2 or x,z; one column gives 1-D points); sets data.columns"
        ),
    )
    train.add_argument("--quiet", action="store_true", help=_("print only the summary"))
    train.add_argument(
        "--no-window",
        action="store_true",
        help=_("serve no window: 'ganlab --attach RUN_DIR' cannot show this run"),
    )
    train.add_argument(
        "--read-only",
        action="store_true",
        help=_("a window that attaches may watch but not pause, step or change settings"),
    )

    trainer = sub.add_parser(  # a window's own trainer process: started by the window
        "trainer",
        description=_(
            "The trainer process a window starts for its own run (the experiment as TOML "
            "on standard input). Not meant to be typed: use 'ganlab train'."
        ),
    )
    trainer.add_argument(
        "--out", required=True, metavar=_("DIR"), help=_("run directory to record into")
    )
    trainer.add_argument(
        "--resume-from", metavar=_("FILE"), help=_("a checkpoint to continue from")
    )
    trainer.add_argument(
        "--first-segment",
        type=int,
        default=0,
        metavar=_("N"),
        help=_("number the first segment at least N (the window has seen the ones before)"),
    )

    sub.add_parser("presets", help=_(COMMANDS["presets"]))
    lessons = sub.add_parser("lessons", help=_(COMMANDS["lessons"]))
    lessons.add_argument(
        "files", nargs="*", metavar=_("FILE"), help=_("lesson files (default: the shipped lessons)")
    )
    lessons.add_argument(
        "--check",
        action="store_true",
        help=_(
            "run each lesson headless with the real engine and check that every step's "
            "condition is reached within its budget; exit 1 if one is not"
        ),
    )
    sub.add_parser("sources", help=_(COMMANDS["sources"]))

    data = sub.add_parser("data", help=_(COMMANDS["data"]))
    data_sub = data.add_subparsers(
        dest="data_command", parser_class=_Parser, required=True, metavar=_("COMMAND")
    )
    sample = data_sub.add_parser(
        "sample",
        help=_("write the real data the trainer would draw (.npy or .npz)"),
        description=_(
            "Write the first N real items the trainer feeds D, drawn by the trainer "
            "itself (same source, same seed, batch by batch): images as float32 (N, C, H, W) "
            "in [-1, 1], points as float32 (N, d). With FILE.npz: arrays x, labels (int64 "
            "(N,), labelled sources only) and class_names. With FILE.npy: x in FILE.npy and, "
            "for a labelled source, FILE_labels.npy and FILE_classes.txt (one class name per "
            "line, in index order)."
        ),
    )
    origin = sample.add_mutually_exclusive_group(required=True)
    origin.add_argument(
        "experiment",
        nargs="?",
        metavar=_("EXPERIMENT"),
        help=_("experiment file (TOML) to draw from"),
    )
    origin.add_argument("--preset", metavar=_("NAME"), help=_("a shipped preset"))
    origin.add_argument("--source", metavar=_("NAME"), help=_("a data source with its defaults"))
    sample.add_argument("--n", type=int, required=True, metavar=_("N"), help=_("number of samples"))
    sample.add_argument(
        "--out", required=True, metavar=_("FILE"), help=_("output file (.npy or .npz)")
    )
    sample.add_argument(
        "--sigma", type=float, metavar=_("SIGMA"), help=_("override data.sigma (toy sources)")
    )
    sample.add_argument("--seed", type=int, metavar=_("SEED"), help=_("override loop.seed"))
    sample.add_argument(
        "--columns",
        metavar="A,B",
        help=_("points file: the columns to use (sets data.columns)"),
    )
    ev = sub.add_parser("eval", help=_(COMMANDS["eval"]))
    ev_sub = ev.add_subparsers(
        dest="eval_command", parser_class=_Parser, required=True, metavar=_("COMMAND")
    )
    toy = ev_sub.add_parser(
        "toy",
        help=_("divergences and mode coverage of 1-D/2-D samples against a source"),
        description=_(
            "Prints JSON: jsd, kl (KL(p_data||p_g)), kl_reverse (KL(p_g||p_data)), tv, "
            "fake_outside; their noise floors jsd_floor, kl_floor, kl_reverse_floor, "
            "tv_floor (the same estimate between two independent samples of the data "
            "itself, of the same size on the same grid: values near the floor are noise, "
            "not a difference); for mixtures modes (captured), num_modes, high_quality, "
            "modes_reverse_kl (of the mode histogram against uniform); for 1-D w1."
        ),
    )
    toy.add_argument(
        "--samples",
        required=True,
        metavar=_("FILE"),
        help=_("generated samples (.npy, shape (N, d))"),
    )
    toy.add_argument(
        "--source",
        required=True,
        metavar=_("NAME"),
        help=_("the data source they should match"),
    )
    toy.add_argument(
        "--sigma",
        type=float,
        default=0.0,
        metavar=_("SIGMA"),
        help=_("the source's sigma (0: default)"),
    )
    toy.add_argument(
        "--seed", type=int, default=0, metavar=_("SEED"), help=_("seed for the real samples")
    )
    run_ev = ev_sub.add_parser(
        "run",
        help=_("the quality measures a run's family has, from its newest checkpoint"),
        description=_(
            "Loads the newest intact checkpoint of RUN_DIR on the CPU and prints JSON: the "
            "step and the family's own measures on its held-out data (pix2pix: L1 and PSNR "
            "with the identity and mean-image baselines; CycleGAN: cycle error and the "
            "share of translations a domain classifier puts in the target domain), or the "
            "toy divergences for 1-D/2-D runs. For FID/KID of image runs use "
            "'ganlab eval images'."
        ),
    )
    run_ev.add_argument("run_dir", metavar=_("RUN_DIR"), help=_("a run directory"))
    feats = ev_sub.add_parser(
        "features",
        help=_("FID and KID from precomputed feature arrays"),
        description=_(
            "Prints JSON: fid, kid_mean, kid_std, n_real, n_fake, kid_subset_size and "
            "kid_subsets (as used), notes (e.g. FID with N < 2048 is biased upward), dim; "
            "the sample line and notes also go to stderr. KID uses the kernel "
            "(x.y/d + 1)^3; with --kid-subset-size >= the smaller sample count it is the "
            "unbiased MMD^2 over all samples (deterministic, std 0)."
        ),
    )
    feats.add_argument(
        "--real", required=True, metavar=_("FILE"), help=_("real features (.npy, shape (N, d))")
    )
    feats.add_argument(
        "--fake",
        required=True,
        metavar=_("FILE"),
        help=_("generated features (.npy, shape (M, d))"),
    )
    _add_kid_options(feats)
    feats.add_argument(
        "--seed", type=int, default=0, metavar=_("SEED"), help=_("seed of the KID subsets")
    )
    img = ev_sub.add_parser(
        "images",
        help=_("Inception Score, FID and KID (torch-fidelity, Inception weights)"),
        description=_(
            "Real images from a folder or an image data source; generated images from a "
            "folder or a run directory (its latest checkpoint generates --n images). A "
            "folder or data source gives a seeded random subset of --n distinct images, "
            "each used at most once; when it has fewer, all of them are used once and a "
            "note says so. Prints JSON: the metrics, n_real, n_fake, kid_subset_size and "
            "kid_subsets (as used), notes (FID with N < 2048 is biased upward, grayscale "
            "images repeated to RGB, fewer images than asked); the sample line and notes "
            "also go to stderr."
        ),
    )
    img.add_argument(
        "--real",
        required=True,
        metavar=_("SOURCE"),
        help=_("image folder or data source name"),
    )
    img.add_argument(
        "--fake", required=True, metavar=_("SOURCE"), help=_("image folder or run directory")
    )
    img.add_argument(
        "--metrics",
        default="is,fid,kid",
        metavar=_("LIST"),
        help=_("comma list of is, fid, kid"),
    )
    img.add_argument(
        "--weights",
        metavar=_("FILE"),
        help=_("Inception weights file (default: the user cache)"),
    )
    img.add_argument(
        "--n",
        type=int,
        default=5000,
        metavar=_("N"),
        help=_("images from each side, each used at most once (FID wants at least 2048)"),
    )
    _add_kid_options(img)
    img.add_argument(
        "--seed", type=int, default=0, metavar=_("SEED"), help=_("seed of the image subsets")
    )
    img.add_argument(
        "--device", default="cpu", metavar=_("DEVICE"), help=_("cpu, cuda, cuda:N or mps")
    )
    img.add_argument(
        "--features",
        choices=("inception", "classifier"),
        default="inception",
        help=_(
            "inception: the standard IS/FID/KID (needs the weights); classifier: FID/KID in "
            "the feature space of a small classifier trained here on a labelled set "
            "(offline; not comparable with Inception numbers)"
        ),
    )
    img.add_argument(
        "--classifier-source",
        default="shapes",
        metavar=_("NAME"),
        help=_("labelled image source the offline classifier learns (default shapes)"),
    )
    _add_export_parser(sub)
    return parser


# What 'ganlab export --format' takes beyond ganlab.app.export.FORMATS (kept here so that
# building the parser imports no Qt).
EXPORT_FORMATS = ("gif", "mp4", "png", "svg", "csv", "tensorboard")
EXPORT_VIEWS = ("data", "curves")


def _add_export_parser(sub) -> None:
    export = sub.add_parser(
        "export",
        help=_(COMMANDS["export"]),
        description=_(
            "Export a run's evolution from its run directory: the views it recorded as an "
            "animated GIF or an MP4 video (one frame per kept snapshot, the step drawn on "
            "each), one step as a PNG or SVG picture (the last in the range), the curves "
            "of metrics.jsonl as CSV (one row per step), or the whole run as TensorBoard "
            "event files. Frames are drawn by the window's own panels, without a display."
        ),
    )
    export.add_argument("run_dir", metavar=_("RUN_DIR"), help=_("a run directory"))
    export.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help=_("what to write: gif, mp4, png, svg, csv or tensorboard"),
    )
    export.add_argument(
        "--view",
        default="data",
        choices=EXPORT_VIEWS,
        help=_(
            "data: the run's data view (samples and D's field, image grids, the family's "
            "own panel); curves: the training curves (default data)"
        ),
    )
    export.add_argument(
        "--out",
        metavar=_("PATH"),
        help=_(
            "file to write (a folder for tensorboard; default: RUN_DIR/exports/VIEW.FORMAT, "
            "curves.csv for csv, TensorBoard's in RUN_DIR)"
        ),
    )
    export.add_argument(
        "--fps",
        type=float,
        default=None,
        metavar=_("N"),
        help=_("frames a second of a GIF or MP4 (default 10)"),
    )
    export.add_argument(
        "--size",
        metavar=_("WxH"),
        help=_("frame size in pixels, caption included (default 800x600)"),
    )
    export.add_argument(
        "--from",
        dest="first",
        type=int,
        metavar=_("STEP"),
        help=_("first step to export (default: the first recorded)"),
    )
    export.add_argument(
        "--to",
        dest="last",
        type=int,
        metavar=_("STEP"),
        help=_("last step to export; a PNG or SVG shows the last frame up to it"),
    )
    export.add_argument(
        "--segment",
        type=int,
        metavar=_("N"),
        help=_(
            "export only segment N of the run (a reset, a rebuild or a loaded checkpoint "
            "starts a new segment, whose steps may start again; default: every segment)"
        ),
    )


def _add_kid_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kid-subset-size",
        type=int,
        default=1000,
        metavar=_("N"),
        help=_("samples in each KID subset (default 1000)"),
    )
    parser.add_argument(
        "--kid-subsets",
        type=int,
        default=100,
        metavar=_("N"),
        help=_("number of KID subsets (default 100)"),
    )


def _lab_usage() -> str:
    """The lab's usage lines, their continuations aligned under the translated 'usage: '."""
    prefix = _("usage: ")
    return "\n".join(
        (
            _("%(prog)s [-h] [--version] [--lang CODE]"),
            " " * len(prefix + "ganlab ")
            + _("[EXPERIMENT | --run DIR | --attach RUN_DIR | --lesson FILE]"),
            " " * len(prefix + "ganlab ") + _("[--smoke-test [--timeout SECONDS]]"),
            " " * len(prefix) + _("%(prog)s COMMAND ..."),
        )
    )


def build_lab_parser() -> argparse.ArgumentParser:
    """``ganlab [EXPERIMENT.toml] [--run DIR]``: the lab itself; its help lists the
    subcommands too, so ``ganlab --help`` shows everything the command can do (texts
    translated now: set the language first)."""
    width = max(len(name) for name in COMMANDS)
    commands = "\n".join(f"  {name:<{width}}  {_(text)}" for name, text in COMMANDS.items())
    parser = _Parser(
        prog="ganlab",
        usage=_lab_usage(),
        description=textwrap.fill(
            _(
                "A desktop laboratory for generative adversarial networks. Without a "
                "command, open the lab's window on an experiment (default: the built-in "
                "ring of 8)."
            ),
            width=79,
        ),
        epilog=_("commands (run headless; see 'ganlab COMMAND --help'):\n{commands}").format(
            commands=commands
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_version(parser)
    parser.add_argument(
        "experiment",
        nargs="?",
        metavar=_("EXPERIMENT"),
        help=_("experiment file to open (TOML)"),
    )
    parser.add_argument("--run", metavar=_("DIR"), help=_("open a saved run directory"))
    parser.add_argument(
        "--attach",
        metavar=_("RUN_DIR"),
        help=_(
            "show a run that is training now (a 'ganlab train' on this machine, or rank 0 "
            "of a torchrun job): live panels, and its controls if the run allows them"
        ),
    )
    parser.add_argument(
        "--lesson",
        metavar=_("FILE"),
        help=_("open a lesson file at its first step (TOML)"),
    )
    parser.add_argument(
        "--lang",
        metavar=_("CODE"),
        help=_(
            "language of the window and of every command's help and messages, e.g. es or "
            "en (default: the system's)"
        ),
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help=_(
            "check this installation: open the window on the default experiment, train a "
            "few steps, print versions and device as JSON, exit 0 once trained samples "
            "are painted (1 on any failure or after --timeout seconds)"
        ),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar=_("SECONDS"),
        help=_("with --smoke-test: give up after this long (default 120)"),
    )
    return parser


def _language_option(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang CODE`` / ``--lang=CODE`` found anywhere before ``--`` (it applies to every
    command), and ``argv`` without it. A ``--lang`` without a value is left for the parser
    to report."""
    code: str | None = None
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        if arg.startswith("--lang="):
            code = arg.partition("=")[2]
        elif arg == "--lang" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            code = argv[i + 1]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return code, rest


def _use_language(code: str | None) -> None:
    """The language of everything this process prints: ``code`` if given (a ``--lang``),
    else, unless the process already chose one, the environment's."""
    if code is None:
        i18n.language()  # first use: from LANGUAGE / LC_ALL / LC_MESSAGES / LANG
        return
    used = i18n.set_language(code)
    asked = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    if used != asked and asked not in ("", "c", "posix"):
        print(
            _("ganlab: no translation for the language '{code}'; using English").format(code=code),
            file=sys.stderr,
        )


def _tolerant_console() -> None:
    """Let every message print on any console: characters the console's encoding lacks
    (cp1252, ASCII) become '?' instead of raising UnicodeEncodeError mid-run."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # closed or detached: leave it
                reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    _tolerant_console()
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`ganlab presets | head`): not an error worth a traceback.
        # Point stdout at devnull so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _main(argv: list[str] | None) -> int:
    from ganlab.kernel.errors import GanlabError

    argv = sys.argv[1:] if argv is None else list(argv)
    code, argv = _language_option(argv)
    _use_language(code)  # before the parsers: their help is translated as they are built
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in SUBCOMMANDS:
        args = build_parser().parse_args(argv)
        args.lang = code
    else:
        args = build_lab_parser().parse_args(argv)  # --lang is gone from argv: keep code
        args.command, args.lang = None, code
    try:
        if args.command == "train":
            return cmd_train(args)
        if args.command == "trainer":
            return cmd_trainer(args)
        if args.command == "presets":
            return cmd_presets()
        if args.command == "sources":
            return cmd_sources()
        if args.command == "data":
            return cmd_data_sample(args)
        if args.command == "eval":
            return cmd_eval(args)
        if args.command == "lessons":
            return cmd_lessons(args)
        if args.command == "export":
            return cmd_export(args)
        return cmd_lab(args)
    except GanlabError as exc:
        _fail(str(exc))
    return EXIT_BAD_INPUT  # pragma: no cover - _fail raises


# ------------------------------------------------------------------ subcommands


def cmd_lab(args: argparse.Namespace) -> int:
    """No subcommand: open the window on an experiment, a saved run, or the default."""
    from ganlab.kernel import config as cfg
    from ganlab.kernel.errors import GanlabError
    from ganlab.kernel.presets import default_experiment
    from ganlab.kernel.rundir import RunDir

    if args.timeout is not None and not args.smoke_test:
        raise GanlabError(_("--timeout only applies to --smoke-test"))
    if args.smoke_test:
        if args.run or args.experiment or args.lesson:
            raise GanlabError(_("--smoke-test always runs the default experiment; drop the file"))
        if args.timeout is not None and args.timeout <= 0:
            raise GanlabError(
                _("--timeout must be positive, got {value}").format(value=f"{args.timeout:g}")
            )
    resume_from = None
    if args.attach and (args.run or args.experiment or args.lesson or args.smoke_test):
        raise GanlabError(_("--attach shows a running run; drop the other file"))
    if args.attach:
        from ganlab.engine.channel import read_endpoint, read_secret

        # No run there, no trainer, or a secret that cannot be used: say so before any
        # window opens.
        attach = Path(args.attach)
        if not attach.is_dir():
            raise GanlabError(_("{path}: no such folder").format(path=attach))
        if not (attach / "experiment.toml").is_file():
            raise GanlabError(
                _(
                    "{path}: not a ganlab run directory (no experiment.toml); give the "
                    "folder that 'ganlab train' printed after 'ganlab --attach'"
                ).format(path=attach)
            )
        read_endpoint(attach)
        read_secret(attach)
        run = RunDir.open_existing(attach)
        config = run.experiment()
    elif args.run:
        run = RunDir.open_existing(args.run)
        config = run.experiment()
        _warn(config, str(run.path / "experiment.toml"))
        resume_from = _newest_intact(run)
    elif args.experiment:
        config = cfg.load(args.experiment)
        cfg.check_names(config, args.experiment)
        _warn(config, args.experiment)
    elif args.lesson:
        from ganlab.engine.lesson import load_lesson

        config = load_lesson(args.lesson).config_for_step(0)
    else:
        config = default_experiment()
    try:
        from ganlab.app.main import check_display, run_app
    except ImportError as exc:  # e.g. Qt's system libraries are missing
        raise GanlabError(
            _(
                "the window cannot start ({error}). On Linux install the system package "
                "libxcb-cursor0 (and libegl1); headless training works without them: "
                "'ganlab train --preset ring8'"
            ).format(error=exc)
        ) from None
    check_display()
    if args.smoke_test:
        from ganlab.app.smoke import DEFAULT_TIMEOUT_S, run_smoke_test

        timeout = args.timeout if args.timeout is not None else DEFAULT_TIMEOUT_S
        return run_smoke_test(timeout_s=timeout, language=args.lang)
    return run_app(
        config,
        resume_from=resume_from,
        history_from=args.run,
        experiment_path=args.experiment,
        language=args.lang,
        lesson=args.lesson,
        start_page=not (args.experiment or args.run or args.lesson or args.attach),
        attach_to=args.attach,
    )


def cmd_export(args: argparse.Namespace) -> int:
    """``ganlab export RUN_DIR --format F``: a run's evolution as files (see
    ganlab.app.export); TensorBoard event files through ganlab.engine.tensorboard."""
    from ganlab.kernel.errors import GanlabError

    if args.format == "tensorboard":
        return _export_tensorboard(args)
    # Frames are drawn offscreen: no display is needed, and none is opened (a desktop
    # export would gain nothing from one). Set before Qt is imported.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ganlab.app.export import DEFAULT_FPS, DEFAULT_SIZE, Export, ExportOptions, parse_size
    from ganlab.app.main import application
    from ganlab.widgets import style

    if args.fps is not None and args.format not in ("gif", "mp4"):
        raise GanlabError(_("--fps applies to gif and mp4 only; drop it"))
    if args.size is not None and args.format == "csv":
        raise GanlabError(_("--size does not apply to csv; drop it"))
    options = ExportOptions(
        view=args.view,
        fps=args.fps if args.fps is not None else DEFAULT_FPS,
        size=parse_size(args.size) if args.size is not None else DEFAULT_SIZE,
        first=args.first,
        last=args.last,
        segment=args.segment,
    )
    application(language=args.lang)  # the panels' own words in the chosen language
    _quiet_offscreen_platform()
    style.configure_pyqtgraph()
    export = Export(args.run_dir, args.format, args.out, options)
    with _export_progress(export.total) as progress:
        for done, total in export.frames():
            progress(done, total)
    print(_("ganlab: wrote {what}").format(what=export.describe()))
    return EXIT_OK


def _quiet_offscreen_platform() -> None:
    """Drop the offscreen platform's one notice that says nothing to a user ("This plugin
    does not support propagateSizeHints()"); Qt's other messages still reach stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


@contextlib.contextmanager
def _export_progress(total: int) -> Iterator:
    """A tqdm bar of frames on a terminal (nothing otherwise); yields ``progress(done,
    total)``."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=_("frame"), file=sys.stderr, disable=None, leave=False)

    def progress(done: int, new_total: int) -> None:
        if bar.total != new_total:
            bar.total = new_total
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        bar.close()


def _export_tensorboard(args: argparse.Namespace) -> int:
    from ganlab.app.export import check_run
    from ganlab.engine.tensorboard import export_run
    from ganlab.kernel.errors import GanlabError

    unused = [
        name
        for name, value in (
            ("--fps", args.fps),
            ("--size", args.size),
            ("--from", args.first),
            ("--to", args.last),
            ("--segment", args.segment),
        )
        if value is not None
    ]
    if unused or args.view != "data":
        raise GanlabError(
            _(
                "{options}: not used by --format tensorboard (it converts the whole run); drop them"
            ).format(options=", ".join(unused + (["--view"] if args.view != "data" else [])))
        )
    run_dir = check_run(args.run_dir)
    with _export_progress(1) as progress:
        written = export_run(run_dir, args.out, progress=progress)
    print(_("ganlab: wrote {path}").format(path=written))
    return EXIT_OK


def cmd_trainer(args: argparse.Namespace) -> int:
    """A window's own trainer: the experiment (TOML) on standard input; see core.host."""
    from ganlab.engine.host import run_window_trainer
    from ganlab.kernel import config as cfg

    config = cfg.loads(sys.stdin.read())
    return run_window_trainer(
        config,
        Path(args.out),
        resume_from=args.resume_from,
        first_segment=args.first_segment,
    )


def cmd_presets() -> int:
    from ganlab.kernel.presets import DEFAULT_PRESET, load_preset, preset_names
    from ganlab.kernel.presets import description as preset_description
    from ganlab.kernel.presets import title as preset_title

    names = preset_names()
    width = max(len(n) for n in names)
    for name in names:
        config = load_preset(name)
        first = preset_description(config).split(". ")[0].rstrip(".")
        line = (
            _("{title} (default): {description}.")
            if name == DEFAULT_PRESET
            else _("{title}: {description}.")
        )
        print(f"{name:<{width}}  " + line.format(title=preset_title(config), description=first))
    return EXIT_OK


def cmd_lessons(args: argparse.Namespace) -> int:
    """List lessons (number, title, file) or, with --check, run them headless."""
    from ganlab.engine.lesson import check_lesson, load_lesson, shipped_lessons
    from ganlab.kernel.errors import GanlabError

    paths = [Path(f) for f in args.files] or shipped_lessons()
    if not paths:
        raise GanlabError(_("no lesson files found"))
    lessons = [load_lesson(p) for p in paths]  # every file is validated before any runs
    if not args.check:
        for lesson in lessons:
            print(f"{lesson.number:>2}  {lesson.text('title')}  ({lesson.path})")
        return EXIT_OK
    started = time.monotonic()
    failed = 0
    for lesson in lessons:
        print(
            _("lesson {number}: {title} ({file})").format(
                number=lesson.number, title=lesson.text("title"), file=lesson.path.name
            ),
            flush=True,
        )

        def show(step) -> None:  # step: a lesson.StepCheck
            verdict = _("ok") if step.reached else _("FAILED")
            what = step.condition or _("no condition")
            print(
                "  "
                + _("step {number}: {verdict}, {steps} steps, {seconds:.1f} s  [{what}]").format(
                    number=step.number,
                    verdict=verdict,
                    steps=step.steps_used,
                    seconds=step.seconds,
                    what=what,
                ),
                flush=True,
            )

        result = check_lesson(lesson, progress=show)
        for problem in result.problems():
            print("  " + problem, file=sys.stderr, flush=True)
        if not result.ok:
            failed += 1
        print("  " + _("{seconds:.1f} s").format(seconds=result.seconds), flush=True)
    total = time.monotonic() - started
    print(
        _("{passed} of {total} lessons passed in {seconds:.0f} s").format(
            passed=len(lessons) - failed, total=len(lessons), seconds=total
        )
    )
    return EXIT_DIVERGED if failed else EXIT_OK


def cmd_sources() -> int:
    from ganlab.kernel.registry import DATA_SOURCES, LOSSES, MODEL_FAMILIES

    # Names and kinds are identifiers (what a file or an option takes); titles are words.
    print(_("Data sources:"))
    kind_width = max(len(entry.kind) for _name, entry in DATA_SOURCES.items())
    for name, entry in DATA_SOURCES.items():
        print(f"  {name:<18} {entry.kind:<{kind_width}} {_(entry.title)}")
    print(_("Model families:"))
    for name, fam in MODEL_FAMILIES.items():
        kinds = ", ".join(sorted(fam.data_kinds))
        print(f"  {name:<18} {_(fam.title)} ({kinds})")
    print(_("Losses:"))
    for name, loss in LOSSES.items():
        print(f"  {name:<18} {_(loss.title)}")
    return EXIT_OK


def cmd_data_sample(args: argparse.Namespace) -> int:
    """``ganlab data sample``: the first N real items the trainer would feed D."""
    import numpy as np

    from ganlab.engine.trainer import build_data_source, data_generator, draw_real_batches
    from ganlab.kernel import config as cfg
    from ganlab.kernel.errors import ConfigError, GanlabError
    from ganlab.kernel.registry import DATA_SOURCES, MODEL_FAMILIES

    if args.n <= 0:
        raise ConfigError(_("must be a positive number of samples"), key="--n")
    out = Path(args.out)
    if out.suffix.lower() not in (".npy", ".npz"):
        raise ConfigError(
            _("'{path}': the output must end in .npy or .npz").format(path=out), key="--out"
        )
    if args.source:
        entry = DATA_SOURCES.get(args.source, key="--source")
        # the first unconditional family that trains on this kind of data (mlp, dcgan, ...)
        family = next(
            name
            for name, fam in MODEL_FAMILIES.items()
            if entry.kind in fam.data_kinds and not fam.conditional
        )
        config = cfg.from_dict(
            {"name": args.source, "data": {"source": args.source}, "model": {"family": family}}
        )
        label = _("source {name}").format(name=args.source)
    else:
        config, label = _experiment_for(args)
    if args.sigma is not None:
        if args.sigma < 0 or not math.isfinite(args.sigma):
            raise ConfigError(
                _("must be 0 (the source's default) or a positive number"), key="--sigma"
            )
        config = cfg.with_value(config, "data.sigma", args.sigma)
    if args.seed is not None:
        config = cfg.with_value(config, "loop.seed", args.seed)
    config = _with_columns(config, args.columns)
    cfg.check_names(config, label)
    # The trainer's own way to build and draw its data; the model need not fit the data.
    source = build_data_source(config.data)
    generator = data_generator(config.loop.seed)
    x, labels = draw_real_batches(source, generator, config.loop.batch_size, args.n)
    names = list(source.spec.class_names)
    written = [out]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".npz":
            arrays = {"x": x, "class_names": np.asarray(names, dtype=str)}
            if labels is not None:
                arrays["labels"] = labels
            np.savez(out, **arrays)
        else:
            np.save(out, x)
            if labels is not None:
                label_file = out.with_name(f"{out.stem}_labels.npy")
                class_file = out.with_name(f"{out.stem}_classes.txt")
                np.save(label_file, labels)
                class_file.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
                written += [label_file, class_file]
    except OSError as exc:
        raise GanlabError(_("{path}: cannot write: {error}").format(path=out, error=exc)) from None
    if source.spec.is_image:
        items = ngettext("{n} real image", "{n} real images", args.n)
    else:
        items = ngettext("{n} real point", "{n} real points", args.n)
    if labels is None:
        wrote = _(
            "wrote {items} of {label} ({summary}) as float32 {shape} in [{low}, {high}]: {files}"
        )
    else:
        wrote = _(
            "wrote {items} of {label} ({summary}) as float32 {shape} in [{low}, {high}] "
            "with {classes} classes: {files}"
        )
    print(
        wrote.format(
            items=items.format(n=args.n),
            label=label,
            summary=source.summary(),
            shape=tuple(x.shape),
            low=f"{x.min():.3g}",
            high=f"{x.max():.3g}",
            classes=len(names),
            files=", ".join(str(p) for p in written),
        )
    )
    return EXIT_OK


def _load_array(path: str, what: str):
    """A numeric .npy array; pickled object arrays are refused (they could run code)."""
    import numpy as np

    from ganlab.kernel.errors import GanlabError

    try:
        arr = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise GanlabError(_("{path}: no such file ({what})").format(path=path, what=what)) from None
    except (ValueError, OSError) as exc:
        raise GanlabError(
            _("{path}: not a numeric .npy array ({what}): {error}").format(
                path=path, what=what, error=exc
            )
        ) from None
    if arr.dtype.kind not in "fiu":
        raise GanlabError(
            _("{path}: expected numbers ({what}), found dtype {dtype}").format(
                path=path, what=what, dtype=arr.dtype
            )
        )
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or len(arr) < 2:
        raise GanlabError(
            _(
                "{path}: expected an array of shape (N, d) with N >= 2 ({what}), "
                "found shape {shape}"
            ).format(path=path, what=what, shape=arr.shape)
        )
    if not np.isfinite(arr).all():
        raise GanlabError(
            _("{path}: contains NaN or infinite values ({what})").format(path=path, what=what)
        )
    return arr.astype(np.float64)


def cmd_eval(args: argparse.Namespace) -> int:
    import json

    if args.eval_command == "toy":
        result = _eval_toy(args)
    elif args.eval_command == "run":
        result = _eval_run(args)
    elif args.eval_command == "features":
        result = _eval_features(args)
    else:
        result = _eval_images(args)
    print(json.dumps(result, indent=2, allow_nan=False))
    return EXIT_OK


def _json_number(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 8)


def _eval_run(args: argparse.Namespace) -> dict:
    """``ganlab eval run RUN_DIR``: the family's own measures at the run's newest intact
    checkpoint (``Trainer.quality_metrics``), as JSON-ready numbers."""
    from ganlab.engine.loop import resume
    from ganlab.engine.trainer import Trainer
    from ganlab.kernel.errors import GanlabError
    from ganlab.kernel.rundir import RunDir

    run = RunDir.open_existing(Path(args.run_dir))
    if run.latest_checkpoint() is None:
        raise GanlabError(
            _("{path}: this run has no checkpoint yet; train it first").format(path=args.run_dir)
        )
    trainer = Trainer(cfg_with_cpu(run.experiment()))
    for note in resume(trainer, run.path):
        print(_paragraph(f"ganlab: {note}"), file=sys.stderr)
    values = trainer.quality_metrics()
    if not values:
        raise GanlabError(
            _(
                "{path}: model family '{family}' on {kind} data has no measures of its own; "
                "use 'ganlab eval images --fake {path}' for FID/KID"
            ).format(path=args.run_dir, family=trainer.family.name, kind=trainer.spec.kind)
        )
    return {
        "step": trainer.step_count,
        "family": trainer.family.name,
        **{k: _json_number(v) for k, v in values.items()},
    }


def _eval_toy(args: argparse.Namespace) -> dict:
    import torch

    from ganlab.kernel.config import DataConfig
    from ganlab.kernel.errors import ConfigError, GanlabError
    from ganlab.kernel.registry import DATA_SOURCES
    from ganlab.metrics import toy

    fake = _load_array(args.samples, _("generated samples"))
    entry = DATA_SOURCES.get(args.source, key="--source")
    if entry.kind not in ("toy1d", "toy2d"):
        raise ConfigError(
            _(
                "'{name}' is an image source; use 'ganlab eval images', or 'ganlab eval run' "
                "on a run"
            ).format(name=args.source),
            key="--source",
        )
    source = entry.build(DataConfig(source=args.source, sigma=args.sigma))
    dim = source.spec.dim
    if fake.shape[1] != dim:
        raise GanlabError(
            _("{path}: samples have {columns} columns but '{name}' is {dim}-D").format(
                path=args.samples, columns=fake.shape[1], name=args.source, dim=dim
            )
        )
    real, _labels = source.sample(len(fake), torch.Generator().manual_seed(args.seed))
    real = real.double().numpy()
    div = toy.grid_divergences(
        real,
        fake,
        source.spec.bounds,
        real_density=source.density,
        length_scale=getattr(source, "length_scale", None),
    )
    gen = torch.Generator().manual_seed(args.seed + 1)
    floor = toy.divergence_floor(
        lambda m: source.sample(m, gen)[0].double().numpy(),
        len(fake),
        source.spec.bounds,
        div.bins,
        real_density=source.density,
        length_scale=getattr(source, "length_scale", None),
    )
    out: dict = {
        "source": args.source,
        "samples": len(fake),
        "jsd": div.jsd,
        "kl": div.kl_real_fake,
        "kl_reverse": div.kl_fake_real,
        "tv": div.tv,
        "jsd_floor": floor.jsd,
        "kl_floor": floor.kl_real_fake,
        "kl_reverse_floor": floor.kl_fake_real,
        "tv_floor": floor.tv,
        "fake_outside": div.fake_outside,
        "grid_bins": div.bins,
        "exact_density": div.real_exact,
    }
    if source.modes is not None and source.mode_sigma:
        cover = toy.mode_coverage(fake, source.modes, source.mode_sigma)
        out.update(
            modes=cover.modes_captured,
            num_modes=cover.num_modes,
            high_quality=cover.high_quality,
            modes_reverse_kl=cover.reverse_kl,
        )
    if dim == 1:
        out["w1"] = toy.wasserstein_1d(real[:, 0], fake[:, 0])
    return {k: _json_number(v) if isinstance(v, float) else v for k, v in out.items()}


def _eval_features(args: argparse.Namespace) -> dict:
    from ganlab.kernel.errors import GanlabError
    from ganlab.metrics import features

    real = _load_array(args.real, _("real features"))
    fake = _load_array(args.fake, _("generated features"))
    if real.shape[1] != fake.shape[1]:
        raise GanlabError(
            _("{real} has {n_real} features per row but {fake} has {n_fake}").format(
                real=args.real, n_real=real.shape[1], fake=args.fake, n_fake=fake.shape[1]
            )
        )
    if args.kid_subset_size < 2 or args.kid_subsets < 1:
        raise GanlabError(_("--kid-subset-size must be at least 2 and --kid-subsets at least 1"))
    report = features.sample_report(
        len(real), len(fake), kid_subset_size=args.kid_subset_size, kid_subsets=args.kid_subsets
    )
    _say_sample(report)
    kid_mean, kid_std = features.kid(
        real, fake, subset_size=args.kid_subset_size, subsets=args.kid_subsets, seed=args.seed
    )
    return {
        "fid": _json_number(features.fid(real, fake)),
        "kid_mean": _json_number(kid_mean),
        "kid_std": _json_number(kid_std),
        **report.fields(),
        "dim": int(real.shape[1]),
    }


def _images_from(spec: str, n: int, what: str, seed: int):
    """uint8 (M, H, W, C) images from a folder, an image data source or a run directory,
    and a note when fewer than ``n`` exist (or None).

    A folder or data source gives ``min(n, available)`` distinct images, a seeded random
    subset (each image at most once; all of them, once, when ``n`` exceeds what exists).
    A run directory's latest checkpoint generates ``n`` images, each from fresh noise.
    """
    import numpy as np
    import torch

    from ganlab.kernel.config import DataConfig
    from ganlab.kernel.errors import GanlabError
    from ganlab.kernel.registry import DATA_SOURCES
    from ganlab.metrics.features import distinct_indices

    path = Path(spec)
    if (path / "experiment.toml").is_file():  # a run: generate from its latest checkpoint
        from ganlab.engine.latent import sample_latent
        from ganlab.engine.loop import resume
        from ganlab.engine.trainer import Trainer
        from ganlab.kernel.rundir import RunDir

        gen = torch.Generator().manual_seed(seed)
        run = RunDir.open_existing(path)
        if run.latest_checkpoint() is None:
            raise GanlabError(
                _("{path}: this run has no checkpoint to generate {what} from").format(
                    path=path, what=what
                )
            )
        trainer = Trainer(cfg_with_cpu(run.experiment()))
        for note in resume(trainer, run.path):  # the newest intact checkpoint
            print(_paragraph(f"ganlab: {note}"), file=sys.stderr)
        if not trainer.spec.is_image:
            raise GanlabError(
                _("{path}: this run trains on {kind} data, not images").format(
                    path=path, kind=trainer.spec.kind
                )
            )
        chunks = []
        for start in range(0, n, 256):
            m = min(256, n - start)
            z = sample_latent(
                m, trainer.config.loop.latent_dim, trainer.config.loop.latent_dist, gen
            )
            y = (
                torch.randint(0, trainer.spec.num_classes, (m,), generator=gen)
                if trainer.family.conditional
                else None
            )
            chunks.append(trainer._images_to_uint8(trainer.generate(z, y)))
        return np.concatenate(chunks), None
    if path.is_dir():  # every usable image, so that the subset is drawn from all of them
        data = DataConfig(source="image_folder", path=str(path), image_size=64, channels=3, size=0)
        source = DATA_SOURCES.get("image_folder").build(data)
        for line in source.problem_lines():  # skipped files, dropped classes
            print(_paragraph(f"ganlab: {what}: {line}"), file=sys.stderr)
        shortfall = _(
            "{what}: asked for {n}, the folder has usable {count}: using {count}, each once"
        )
    elif spec in DATA_SOURCES:
        entry = DATA_SOURCES.get(spec)
        if entry.kind != "image":
            raise GanlabError(
                _("'{name}' is not an image data source ({what})").format(name=spec, what=what)
            )
        source = entry.build(DataConfig(source=spec, channels=3, image_size=32))
        shortfall = _(
            "{what}: asked for {n}, the data source '{name}' has {count}: using {count}, each once"
        )
    else:
        raise GanlabError(
            _("{path}: not a folder, run directory or image data source ({what})").format(
                path=spec, what=what
            )
        )
    from ganlab.data.base import ImageTensorSource

    if not isinstance(source, ImageTensorSource):  # every image source is one today
        raise GanlabError(
            _("'{name}' does not hold its images in memory ({what})").format(name=spec, what=what)
        )
    stored = source.images  # uint8 (N, C, H, W); C may be 1 for a 3-channel source
    index = torch.from_numpy(distinct_indices(len(stored), n, seed))
    x = stored[index]
    if x.shape[1] != source.channels:
        x = x.expand(-1, source.channels, -1, -1)
    note = None
    if n > len(stored):
        note = shortfall.format(what=what, n=n, name=spec, count=len(stored))
    return x.permute(0, 2, 3, 1).contiguous().numpy(), note


def cfg_with_cpu(config):
    from ganlab.kernel import config as cfg

    return cfg.with_value(config, "loop.device", "cpu")


def _say_sample(report) -> None:
    """The sample of an evaluation, for people: one line and its notes, on stderr."""
    print(f"ganlab: {report.summary()}", file=sys.stderr)
    for note in report.notes:
        print(_("ganlab: note: {note}").format(note=note), file=sys.stderr)


def _eval_images(args: argparse.Namespace) -> dict:
    from ganlab.kernel.errors import GanlabError
    from ganlab.metrics import inception

    wanted = [m.strip().lower() for m in args.metrics.split(",") if m.strip()]
    unknown = sorted(set(wanted) - {"is", "fid", "kid"})
    if not wanted or unknown:
        raise GanlabError(
            _("--metrics: choose from is, fid, kid (got {value})").format(value=repr(args.metrics))
        )
    if args.n < 2:
        raise GanlabError(_("--n must be at least 2"))
    if args.kid_subset_size < 2 or args.kid_subsets < 1:
        raise GanlabError(_("--kid-subset-size must be at least 2 and --kid-subsets at least 1"))
    if args.features == "classifier":
        return _eval_images_offline(args, wanted)
    try:  # refuse before any work
        inception.verify_weights(inception.weights_path(args.weights))
    except inception.WeightsError as exc:
        raise GanlabError(
            _(
                "{error} Offline, '--features classifier' gives FID and KID in the feature "
                "space of a small classifier trained here (not comparable with Inception "
                "numbers)."
            ).format(error=exc)
        ) from None
    notes: list[str] = []
    real = None
    if {"fid", "kid"} & set(wanted):
        real, note = _images_from(args.real, args.n, _("real images"), args.seed)
        notes += [note] if note else []
    # The generated side draws with the next seed: two folders never share a pattern.
    fake, note = _images_from(args.fake, args.n, _("generated images"), args.seed + 1)
    notes += [note] if note else []
    kid_args = {"kid_subset_size": args.kid_subset_size, "kid_subsets": args.kid_subsets}
    report = inception.image_sample_report(real, fake, wanted, notes=notes, **kid_args)
    _say_sample(report)
    values = inception.image_metrics(
        real, fake, metrics=wanted, weights=args.weights, device=args.device, **kid_args
    )
    return {**{k: _json_number(v) for k, v in values.items()}, **report.fields()}


def _eval_images_offline(args: argparse.Namespace, wanted: list[str]) -> dict:
    """FID/KID (and a classifier score) in an offline classifier's feature space."""
    import numpy as np

    from ganlab.metrics import classifier, features, inception

    if "is" in wanted:
        print(
            _(
                "ganlab: the Inception Score needs Inception-v3; reporting the classifier "
                "score (the same formula on the offline classifier's class probabilities)"
            ),
            file=sys.stderr,
        )
    real, real_note = _images_from(args.real, args.n, _("real images"), args.seed)
    fake, fake_note = _images_from(args.fake, args.n, _("generated images"), args.seed + 1)
    if real.shape[3] != fake.shape[3]:  # a gray side is compared in colour
        real, fake = (np.repeat(x, 3, axis=3) if x.shape[3] == 1 else x for x in (real, fake))
    kid_args = {"kid_subset_size": args.kid_subset_size, "kid_subsets": args.kid_subsets}
    report = inception.image_sample_report(
        real,
        fake,
        ("fid", "kid"),
        notes=[n for n in (real_note, fake_note) if n],
        rgb_for=_("the classifier") if real.shape[3] == 3 else None,
        plan=features.kid_plan,
        **kid_args,
    )
    _say_sample(report)
    print(
        _(
            "ganlab: features: the last hidden layer of a small classifier trained on the "
            "'{name}' data source (--classifier-source); compare only with numbers from the "
            "same features"
        ).format(name=args.classifier_source),
        file=sys.stderr,
    )
    clf = classifier.load_or_train(
        args.classifier_source,
        32,
        int(real.shape[3]),
        log=lambda line: print(f"ganlab: {line}", file=sys.stderr),
    )
    values = classifier.offline_metrics(real, fake, clf, seed=args.seed, **kid_args)
    out = {k: (_json_number(v) if isinstance(v, float) else v) for k, v in values.items()}
    return {**out, **report.fields()}


def _newest_intact(run) -> str | None:
    """The run's newest checkpoint that reads, naming each damaged one skipped; None
    for a run without checkpoints (the window then starts it over)."""
    from ganlab.kernel.checkpoint import load_newest_intact

    candidates = run.checkpoints_newest_first()
    if not candidates:
        return None
    path, _state, problems = load_newest_intact(candidates, lambda state, p: None)
    for problem in problems:
        print(
            _paragraph(_("ganlab: skipped a checkpoint: {problem}").format(problem=problem)),
            file=sys.stderr,
        )
    if problems:
        print(
            _("ganlab: opening {name}, the newest intact checkpoint").format(name=path.name),
            file=sys.stderr,
        )
    return str(path)


def _with_columns(config, columns: str | None):
    """``config`` with ``data.columns`` from a ``--columns A,B`` option, if given."""
    if not columns:
        return config
    from ganlab.data.points_file import parse_columns_option
    from ganlab.kernel import config as cfg

    return cfg.with_value(config, "data.columns", parse_columns_option(columns))


def _warn(config, label: str) -> None:
    """Print the settings that are allowed but wrong for ``config`` (see
    ``config.config_warnings``), one paragraph each, on stderr."""
    from ganlab.kernel import config as cfg
    from ganlab.kernel.torchrun import follower_process

    if follower_process():
        return  # under torchrun rank 0 alone speaks
    for message in cfg.config_warnings(config, label):
        print(_paragraph(_("ganlab: warning: {message}").format(message=message)), file=sys.stderr)


def _experiment_for(args: argparse.Namespace):  # -> (config, source label)
    from ganlab.kernel import config as cfg
    from ganlab.kernel.presets import DEFAULT_PRESET, load_preset

    if args.preset:
        return load_preset(args.preset), _("preset {name}").format(name=args.preset)
    if args.experiment:
        return cfg.load(args.experiment), str(args.experiment)
    # Nothing named: the built-in default, as the window opens it.
    return load_preset(DEFAULT_PRESET), _("the default preset, {name}").format(name=DEFAULT_PRESET)


def cmd_train(args: argparse.Namespace) -> int:
    """``ganlab train``; under torchrun, on every rank (see :func:`_follow_or_lead`)."""
    from ganlab.engine import distributed

    try:
        return _cmd_train(args)
    finally:
        distributed.shutdown()  # rank 0 stops the followers; every rank leaves the group


def _new_trainer(config):
    """A Trainer; under torchrun a DistributedTrainer, joining the job on first use."""
    from ganlab.engine import distributed
    from ganlab.engine.trainer import Trainer

    if not distributed.launched():
        return Trainer(config)
    context = distributed.current() or distributed.initialize(config.loop.device)
    return distributed.DistributedTrainer(config, context)


def _follow_or_lead(trainer, *, quiet: bool) -> int | None:
    """Under torchrun, once every rank has built (and resumed) its trainer: ranks other
    than 0 follow rank 0 until it stops and return their exit code, quietly; rank 0 leads
    (returns None) and goes on to write the run directory and train. None outside torchrun.
    """
    from ganlab.engine import distributed

    context = distributed.current()
    if context is None:
        return None
    if not context.is_main:
        distributed.follow(trainer)
        return EXIT_OK
    trainer.lead()
    if not quiet:
        print(
            ngettext(
                "ganlab: DistributedDataParallel on {count} rank ({backend}), a batch of "
                "{batch} on each; losses are means over the ranks",
                "ganlab: DistributedDataParallel on {count} ranks ({backend}), a batch of "
                "{batch} on each; losses are means over the ranks",
                context.world_size,
            ).format(
                count=context.world_size,
                backend=context.backend,
                batch=trainer.config.loop.batch_size,
            )
        )
        if trainer.synced_batch_norm:  # said only where there is BatchNorm to synchronise
            print(
                _("ganlab: BatchNorm synchronised across the ranks in: {nets}").format(
                    nets=", ".join(trainer.synced_batch_norm)
                )
            )
    return None


def _cmd_train(args: argparse.Namespace) -> int:
    from ganlab.engine import distributed
    from ganlab.engine.loop import resume
    from ganlab.kernel import config as cfg
    from ganlab.kernel.device import resolve_device
    from ganlab.kernel.errors import ConfigError, GanlabError
    from ganlab.kernel.rundir import RunDir, default_run_dir

    if args.steps is not None and args.steps <= 0:
        raise ConfigError(_("must be a positive number of iterations"), key="--steps")
    keep = getattr(args, "keep_checkpoints", None)
    if keep is not None and keep <= 0:
        raise ConfigError(_("must be a positive number of checkpoints"), key="--keep-checkpoints")
    from ganlab.kernel.history import HISTORY_EVERY_S

    history_fps = getattr(args, "history_fps", None)
    if history_fps is None:
        history_fps = 1.0 / HISTORY_EVERY_S
    elif not (0 < history_fps <= MAX_HISTORY_FPS) or not math.isfinite(history_fps):
        raise ConfigError(
            _("give a rate above 0 and at most {most} snapshots a second").format(
                most=f"{MAX_HISTORY_FPS:g}"
            ),
            key="--history-fps",
        )
    if args.device:  # asked for now, on this machine: it must be here (no fallback)
        resolve_device(args.device, strict=True, key="--device")
    created = False
    if args.resume:
        run = RunDir.open_existing(args.resume)
        config = run.experiment()
        if args.columns:
            raise ConfigError(_("a resumed run keeps its data; drop --columns"), key="--columns")
        if args.device:
            config = cfg.with_value(config, "loop.device", args.device)
        _warn(config, str(run.path / "experiment.toml"))
        trainer = _new_trainer(config)
        for note in resume(trainer, run.path):  # every rank loads the same checkpoint
            if not distributed.follower_process():
                print(_paragraph(f"ganlab: {note}"), file=sys.stderr)
        if args.device:  # the checkpoint's own device setting must not override --device
            trainer.config = cfg.with_value(trainer.config, "loop.device", args.device)
        steps = args.steps or trainer.config.loop.steps
        if not steps:
            raise ConfigError(
                _("give --steps N: the total iterations to continue up to"), key="--steps"
            )
        if steps <= trainer.step_count:
            raise ConfigError(
                _("this run is already at step {step}; give a larger total").format(
                    step=trainer.step_count
                ),
                key="--steps",
            )
        trainer.config = cfg.with_value(trainer.config, "loop.steps", steps)
        if args.checkpoint_every is not None:
            trainer.config = cfg.with_value(
                trainer.config, "loop.checkpoint_every", args.checkpoint_every
            )
        if (code := _follow_or_lead(trainer, quiet=args.quiet)) is not None:
            return code
        label = _("resumed {path} at step {step}").format(path=run.path, step=trainer.step_count)
    else:
        config, label = _experiment_for(args)
        overrides = {
            "loop.device": args.device,
            "loop.seed": args.seed,
            "loop.checkpoint_every": args.checkpoint_every,
        }
        for key, value in overrides.items():
            if value is not None:
                config = cfg.with_value(config, key, value)
        config = _with_columns(config, args.columns)
        steps = args.steps or config.loop.steps or DEFAULT_HEADLESS_STEPS
        config = cfg.with_value(config, "loop.steps", steps)
        cfg.check_names(config, label)
        _warn(config, label)
        trainer = _new_trainer(config)  # bad data or models fail here, before any file is written
        if (code := _follow_or_lead(trainer, quiet=args.quiet)) is not None:
            return code
        out = Path(args.out) if args.out else default_run_dir(config)
        if (out / "experiment.toml").exists():
            earlier = RunDir(out)
            if earlier.trained():
                raise GanlabError(
                    _(
                        "{path}: already holds a run; use 'ganlab train --resume {path} "
                        "--steps N' to continue it, or choose another --out"
                    ).format(path=out)
                )
            print(
                _(
                    "ganlab: {path} holds a run that never trained (an earlier attempt "
                    "stopped before its first step); starting it again"
                ).format(path=out),
                file=sys.stderr,
            )
            earlier.discard()
        created = not out.exists()
        run = RunDir.create(out, config)
    start_step = trainer.step_count
    try:
        return _train_loop(
            trainer,
            run,
            label,
            quiet=args.quiet,
            keep_checkpoints=keep or 0,
            history_fps=history_fps,
            serve=not args.no_window,
            control=not args.read_only,
        )
    except BaseException:
        # A run that fails before its first step leaves nothing behind for a re-run to trip on.
        if created and trainer.step_count == start_step and not run.trained():
            run.discard()
        raise


def _train_loop(
    trainer,
    run,
    label: str,
    *,
    quiet: bool,
    keep_checkpoints: int = 0,
    history_fps: float = 1.0,
    serve: bool = True,
    control: bool = True,
) -> int:
    from ganlab.engine.channel import TrainerServer
    from ganlab.engine.host import attach_handlers, stop_on_signals
    from ganlab.engine.host import serve as serve_reports
    from ganlab.engine.loop import run as run_loop
    from ganlab.engine.recorder import Recorder, drive
    from ganlab.engine.tensorboard import note as tensorboard_note
    from ganlab.kernel import commands as cmd

    total = trainer.config.loop.steps
    start_step = trainer.step_count
    out = sys.stdout
    if not quiet:
        print(
            ngettext(
                "ganlab: {name} ({label}) on {device}; {total} step; run directory {path}",
                "ganlab: {name} ({label}) on {device}; {total} steps; run directory {path}",
                total,
            ).format(
                name=_(trainer.config.name),  # a preset's name is in the catalogue
                label=label,
                device=trainer.describe_device(),
                total=total,
                path=run.path,
            ),
            file=out,
        )
        print(_("ganlab: data: {summary}").format(summary=trainer.source.summary()), file=out)
        print(tensorboard_note(run.path), file=out)
    progress = _Progress(start_step, total, out, enabled=not quiet)
    inbox: queue.Queue[cmd.Command] = queue.Queue()

    def say_stopping(_signum: int) -> None:
        progress.clear()
        print(
            _("ganlab: stopping, writing a checkpoint… (press Ctrl+C again to quit without one)"),
            file=sys.stderr,
            flush=True,
        )

    with contextlib.ExitStack() as stack:
        # From here on Ctrl+C or SIGTERM stops the loop as usual, through the recorder, so
        # that the run keeps its last checkpoint; a second Ctrl+C quits at once.
        stopping = stack.enter_context(stop_on_signals(inbox, on_first=say_stopping))
        server = None
        if serve:  # a window may attach: 'ganlab --attach RUN_DIR'
            on_attach, on_detach = attach_handlers(inbox, owned=False)
            if not quiet:  # say it on the terminal (called in the channel's threads)
                on_attach = _said_on_attach(on_attach, control)
                on_detach = _said_on_detach(on_detach)
            server = TrainerServer(
                run.path, inbox, control=control, on_attach=on_attach, on_detach=on_detach
            )
            stack.callback(server.close)
            if not quiet:
                print(
                    _("ganlab: watch it live with 'ganlab --attach {path}'").format(path=run.path),
                    file=out,
                    flush=True,
                )
        recorder = Recorder(
            run, keep_checkpoints=keep_checkpoints, history_every_s=1.0 / history_fps
        )
        stack.callback(recorder.close)
        reports = serve_reports(
            drive(
                run_loop(
                    trainer.config,
                    inbox,
                    recording=True,
                    trainer=trainer,
                    # The views are drawn for the run's history only (one a second).
                    snapshot_hz=history_fps,
                    scalar_hz=HEADLESS_SCALAR_HZ,
                ),
                recorder,
            ),
            server,
        )
        return _report_progress(
            trainer, run, reports, inbox, progress, quiet=quiet, stopping=stopping
        )


def _said_on_attach(on_attach, control: bool):
    """``on_attach``, then one line on the terminal: a window attached."""

    def attached() -> None:
        on_attach()
        if control:
            message = _(
                "ganlab: a window attached (pause, step and learning rate now also come from it)"
            )
        else:
            message = _("ganlab: a window attached (read-only: it watches)")
        print(message, file=sys.stderr, flush=True)

    return attached


def _said_on_detach(on_detach):
    """``on_detach``, then one line on the terminal: the window left."""

    def detached(keep_training: bool) -> None:
        on_detach(keep_training)
        print(_("ganlab: the window left; training goes on"), file=sys.stderr, flush=True)

    return detached


def _interrupted(trainer, run, total: int) -> None:
    """Say where an interrupted run stopped, and how to go on: only a run with a
    checkpoint can be resumed."""
    if run.latest_checkpoint() is not None:
        print(
            _(
                "ganlab: interrupted at step {step}; resume with 'ganlab train --resume "
                "{path} --steps {total}'"
            ).format(step=trainer.step_count, path=run.path, total=total),
            file=sys.stderr,
        )
        return
    print(
        _paragraph(
            _(
                "ganlab: interrupted at step {step}; the run has no checkpoint, so it cannot "
                "be resumed. Start it again with 'ganlab train {experiment} --out {path}'"
            ).format(
                step=trainer.step_count,
                experiment=run.path / "experiment.toml",
                # A run that recorded steps refuses a new start in its folder.
                path="NEW_DIR" if run.trained() else run.path,
            )
        ),
        file=sys.stderr,
    )


def _report_progress(trainer, run, reports, inbox, progress, *, quiet: bool, stopping=None) -> int:
    """Print the reports of a headless run until it ends; the exit status.

    ``stopping`` (a ``threading.Event``) is set when a signal asked the run to stop: it
    then ends with ``EXIT_INTERRUPTED``.
    """
    from ganlab.kernel import commands as cmd
    from ganlab.kernel import reports as rep

    total = trainer.config.loop.steps
    start_step = progress.start
    out = progress.out
    error: rep.TrainingError | None = None
    last_values: dict[str, float] = {}
    state: str | None = None  # playing, paused, ...: only a window pauses a headless run

    def say(message: str) -> None:
        progress.clear()
        print(message, file=sys.stderr, flush=True)

    try:
        for report in reports:
            if isinstance(report, rep.ScalarBatch) and len(report):
                last_values = {k: float(v[-1]) for k, v in report.values.items()}
                progress.update(int(report.steps[-1]), last_values)
                if state == "paused" and not quiet:
                    say(
                        _("ganlab: a step from the window: now at step {step}").format(
                            step=int(report.steps[-1])
                        )
                    )
            elif isinstance(report, rep.StateChanged):
                if not quiet and state is not None and report.state != state:
                    if report.state == "paused":
                        say(
                            _("ganlab: paused from a window at step {step}").format(
                                step=report.step
                            )
                        )
                    elif report.state == "playing":
                        say(_("ganlab: playing again"))
                state = report.state
            elif isinstance(report, rep.SegmentStarted) and not quiet:
                if report.reason == "reset":
                    say(
                        _("ganlab: reset from a window: new weights from step {step}").format(
                            step=report.step
                        )
                    )
                elif report.reason == "rebuild":
                    say(
                        _("ganlab: the window changed the networks: rebuilt at step {step}").format(
                            step=report.step
                        )
                    )
            elif isinstance(report, rep.SettingChanged) and not quiet:
                say(
                    _("ganlab: step {step}: {key} changed from {old} to {new}").format(
                        step=report.step, key=report.key, old=report.old, new=report.new
                    )
                )
            elif isinstance(report, rep.TrainingError) and error is None:
                error = report  # the first says what went wrong; it is printed at the end
                inbox.put(cmd.Stop())
            elif isinstance(report, rep.TrainingError):  # while stopping: e.g. the last save
                progress.clear()
                print(
                    _paragraph(_("ganlab: error: {message}").format(message=report.message)),
                    file=sys.stderr,
                )
            elif isinstance(report, rep.LogMessage) and not quiet:
                print(f"ganlab: {report.message}", file=sys.stderr)
            elif isinstance(report, rep.Diagnosis) and not quiet:
                progress.clear()  # same words as the window's log
                print(
                    _paragraph(
                        _("ganlab: step {step} — {title}: {message}").format(
                            step=report.step, title=_(report.title), message=report.message
                        )
                    ),
                    file=sys.stderr,
                    flush=True,
                )
            elif isinstance(report, rep.DiagnosisCleared) and not quiet:
                progress.clear()
                print(
                    _("ganlab: step {step} — {title}: cleared").format(
                        step=report.step, title=_(report.title)
                    ),
                    file=sys.stderr,
                    flush=True,
                )
    except KeyboardInterrupt:  # a second Ctrl+C (or one outside the signal handlers)
        progress.close()
        inbox.put(cmd.Stop())
        for _report in reports:  # drains to the final checkpoint, if the loop still runs
            pass
        _interrupted(trainer, run, total)
        return EXIT_INTERRUPTED
    progress.close()
    if error is not None:
        print(
            _paragraph(_("ganlab: error: {message}").format(message=error.message)),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT if not error.recoverable else EXIT_DIVERGED
    if stopping is not None and stopping.is_set():
        _interrupted(trainer, run, total)
        return EXIT_INTERRUPTED
    elapsed = max(progress.elapsed(), 1e-9)
    rate = (trainer.step_count - start_step) / elapsed
    losses = ", ".join(f"{k} {v:.4g}" for k, v in last_values.items() if k.endswith("_loss"))
    print(
        _(
            "ganlab: done: step {step} in {seconds} s ({rate} steps/s); {losses}; run "
            "directory {path}"
        ).format(
            step=trainer.step_count,
            seconds=f"{elapsed:.1f}",
            rate=f"{rate:.1f}",
            losses=losses,
            path=run.path,
        ),
        file=out,
    )
    return EXIT_OK


class _Progress:
    """A tqdm bar on a terminal; otherwise a plain line at most every 2 seconds."""

    def __init__(self, start: int, total: int, out: TextIO, *, enabled: bool):
        self.start, self.total, self.out, self.enabled = start, total, out, enabled
        self.t0 = time.monotonic()
        self.last_print = -math.inf
        self.step = start
        self.bar = None
        if enabled and out.isatty():
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, initial=start, unit=_("step"), file=out, dynamic_ncols=True
            )

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def update(self, step: int, values: dict[str, float]) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(step - self.step)
            self.bar.set_postfix(
                d_loss=f"{values['d_loss']:.3f}", g_loss=f"{values['g_loss']:.3f}", refresh=False
            )
        else:
            now = time.monotonic()
            if now - self.last_print >= 2.0 or step >= self.total:
                self.last_print = now
                rate = (step - self.start) / max(self.elapsed(), 1e-9)
                print(
                    _(
                        "step {step}/{total}  {rate} steps/s  d_loss {d_loss}  g_loss {g_loss}"
                    ).format(
                        step=step,
                        total=self.total,
                        rate=f"{rate:.1f}",
                        d_loss=f"{values['d_loss']:.4f}",
                        g_loss=f"{values['g_loss']:.4f}",
                    ),
                    file=self.out,
                    flush=True,
                )
        self.step = step

    def clear(self) -> None:
        """Make room for a message: the bar is redrawn below it at the next update."""
        if self.bar is not None:
            self.bar.clear()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
