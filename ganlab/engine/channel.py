"""The authenticated channel between a trainer process and a window. No Qt, no torch.

One protocol serves every kind of run: the window's own trainer, a headless
``ganlab train``, and rank 0 of a ``torchrun`` job. The trainer side
(:class:`TrainerServer`) listens; a window (:class:`TrainerClient`) connects, sends
commands (``ganlab.kernel.commands``) and receives reports (``ganlab.kernel.reports``).

Who may connect
---------------
Only the run's owner. Two locks, each enough on its own on a shared machine:

* The secret. The trainer writes 32 random bytes to ``RUN_DIR/.ganlab-secret`` with
  owner-only permissions (0600). Every connection must first pass
  ``multiprocessing.connection``'s HMAC challenge with it, both ways, exchanged as raw
  bytes: nothing from the peer is unpickled before it has proved it holds the secret.
  A client refuses a secret file that other users could read.
* The address. On Linux and macOS the trainer listens on a Unix socket inside a fresh
  directory only its user may enter (0700); on Windows on a named pipe.

Where the trainer listens is in ``RUN_DIR/trainer.json`` (written atomically, removed
when the trainer ends): the address, the trainer's pid, whether it accepts control
commands, and whether a window owns it.

Threads: the server accepts and reads in its own daemon threads and puts commands into
the loop's inbox; :meth:`TrainerServer.publish` is called from the loop's thread. A
client's :meth:`TrainerClient.recv` blocks (call it from a reader thread);
:meth:`TrainerClient.send` may be called from any one other thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import shutil
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path
from typing import Any

from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep
from ganlab.kernel.errors import GanlabError
from ganlab.kernel.files import atomic_file
from ganlab.kernel.i18n import _

SECRET_FILE = ".ganlab-secret"
ENDPOINT_FILE = "trainer.json"
SECRET_BYTES = 32

# Commands a read-only attach may still send: they change nothing in the training.
VIEW_COMMANDS: tuple[type[cmd.Command], ...] = (
    cmd.SnapshotTaken,
    cmd.RequestSamples,
    cmd.RequestPanel,
    cmd.RequestEvaluationSamples,
)

# Commands that would wipe a run no window owns (a headless ``ganlab train``, a torchrun
# job): start it again from step 0, change its networks, or load another checkpoint into
# it. The server drops them; the run and its record stay the run that was started.
# ApplyConfig passes: it also carries live changes (the window locks the keys that
# would rebuild).
WIPING_COMMANDS: tuple[type[cmd.Command], ...] = (
    cmd.Reset,
    cmd.SwitchArchitecture,
    cmd.LoadCheckpoint,
)


class ChannelError(GanlabError):
    """The channel could not be opened: no trainer, a wrong secret, unsafe permissions."""


@dataclass(frozen=True)
class Endpoint:
    """What ``trainer.json`` says: where a run's trainer listens and what it allows."""

    family: str  # "AF_UNIX", "AF_PIPE" or "AF_INET"
    address: str | tuple[str, int]
    pid: int
    control: bool  # accepts commands that change the training (pause, step, lr, ...)
    owned: bool  # a window started it and it ends with that window


# ------------------------------------------------------------------- the secret


def write_secret(run_dir: Path) -> bytes:
    """Create a new secret in ``run_dir`` readable by its owner only; return it.

    Raises
    ------
    OSError
        The run directory cannot be written.
    """
    secret = secrets.token_bytes(SECRET_BYTES)
    path = run_dir / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(secret)
    return secret


def read_secret(run_dir: Path) -> bytes:
    """Read a run's secret, refusing one that other users could read.

    Raises
    ------
    ChannelError
        There is no secret (the run serves no window), or its permissions are unsafe.
    """
    path = run_dir / SECRET_FILE
    try:
        info = path.stat()
        secret = path.read_bytes()
    except FileNotFoundError:
        raise ChannelError(
            _(
                "{path}: missing, so no window can attach to this run (it has finished, or "
                "was started by an older ganlab)."
            ).format(path=path)
            + " "
            + _what_next(run_dir)
        ) from None
    if sys.platform != "win32":
        if info.st_uid != os.getuid():
            raise ChannelError(
                _("{path}: the run belongs to another user; only its owner may attach").format(
                    path=path
                )
            )
        if stat.S_IMODE(info.st_mode) & 0o077:
            raise ChannelError(
                _(
                    "{path}: other users can read this secret, so it no longer protects the "
                    "run. Fix it with 'chmod 600 {path}' and attach again"
                ).format(path=path)
            )
    if len(secret) < SECRET_BYTES:
        raise ChannelError(_("{path}: the secret is damaged").format(path=path))
    return secret


# ------------------------------------------------------------------- endpoints


def read_endpoint(run_dir: Path) -> Endpoint:
    """Read ``RUN_DIR/trainer.json``.

    Raises
    ------
    ChannelError
        The folder is missing, no trainer serves this run now (each
        message says how to see or continue it), or the file is damaged.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ChannelError(_("{path}: no such folder").format(path=run_dir))
    path = run_dir / ENDPOINT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        address = data["address"]
        endpoint = Endpoint(
            family=str(data["family"]),
            address=tuple(address) if isinstance(address, list) else str(address),  # type: ignore[arg-type]
            pid=int(data["pid"]),
            control=bool(data["control"]),
            owned=bool(data.get("owned", False)),
        )
    except FileNotFoundError:
        raise ChannelError(
            _(
                "{run}: no trainer serves this run now: it has finished, was stopped, or "
                "runs with --no-window."
            ).format(run=run_dir)
            + " "
            + _what_next(run_dir)
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ChannelError(
            _("{path}: damaged ({problem})").format(path=path, problem=exc)
        ) from None
    if not _alive(endpoint.pid):
        raise ChannelError(
            _("{run}: its trainer (process {pid}) is no longer running.").format(
                run=run_dir, pid=endpoint.pid
            )
            + " "
            + _what_next(run_dir)
        )
    return endpoint


def _what_next(run_dir: Path) -> str:
    """How to see or continue a run no trainer serves: only a run with a checkpoint can
    be opened with its state or resumed."""
    from ganlab.kernel.rundir import RunDir

    if RunDir(run_dir).latest_checkpoint() is not None:
        return _(
            "See its curves with 'ganlab --run {run}'; continue it with 'ganlab train "
            "--resume {run} --steps N'"
        ).format(run=run_dir)
    return _(
        "It has no checkpoint to continue from; train it again with 'ganlab train "
        "{experiment} --out NEW_DIR'"
    ).format(experiment=run_dir / "experiment.toml")


def served_runs(folder: Path) -> list[Path]:
    """The run directories in ``folder`` whose trainer is running now."""
    found = []
    for endpoint in Path(folder).glob(f"*/{ENDPOINT_FILE}"):
        try:
            pid = int(json.loads(endpoint.read_text(encoding="utf-8"))["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(pid):
            found.append(endpoint.parent)
    return found


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return True  # someone else's process: the secret check refuses it


def _new_address() -> tuple[str, str | tuple[str, int], str | None]:
    """(family, address, private folder or None) for a new listener on this platform."""
    if sys.platform == "win32":
        return "AF_PIPE", rf"\\.\pipe\ganlab-{secrets.token_hex(12)}", None
    folder = tempfile.mkdtemp(prefix="ganlab-")  # 0700: only this user can enter
    return "AF_UNIX", os.path.join(folder, "trainer.sock"), folder


# ------------------------------------------------------------------- server


class TrainerServer:
    """Serves one window at a time for a trainer; a newer attach replaces the older one,
    which is sent ``TakenOver`` before it is hung up on.

    A run no window owns (``owned=False``) drops :data:`WIPING_COMMANDS` from its window.

    Parameters
    ----------
    run_dir
        The run directory; it gets the secret and ``trainer.json``.
    inbox
        The loop's command queue: authenticated commands go there.
    control
        Accept commands that change the training. False: a read-only run, whose windows
        may only look (snapshots, samples).
    owned
        A window started this trainer: the window's own run.
    on_attach, on_detach
        Called (in the server's threads) when a window attaches and when it goes away,
        with whether it asked to leave the run training (``Detach``).
    """

    def __init__(
        self,
        run_dir: str | Path,
        inbox: queue.Queue[cmd.Command],
        *,
        control: bool = True,
        owned: bool = False,
        on_attach: Callable[[], None] | None = None,
        on_detach: Callable[[bool], None] | None = None,
    ):
        self.run_dir = Path(run_dir)
        self.inbox = inbox
        self.control = control
        self.owned = owned
        self.on_attach = on_attach
        self.on_detach = on_detach
        self._secret = write_secret(self.run_dir)
        family, address, self._folder = _new_address()
        self._listener = Listener(address, family=family, authkey=self._secret)
        self._lock = threading.Lock()
        self._client: Connection | None = None
        self._closed = False
        self.refused = 0  # connections that failed the secret
        self.endpoint = Endpoint(family, self._listener.address, os.getpid(), control, owned)
        with atomic_file(self.run_dir / ENDPOINT_FILE) as f:
            f.write(
                json.dumps(
                    {
                        "family": family,
                        "address": self._listener.address,
                        "pid": os.getpid(),
                        "control": control,
                        "owned": owned,
                    }
                ).encode("utf-8")
            )
        self._accepting = threading.Thread(
            target=self._accept_loop, name="ganlab-channel-accept", daemon=True
        )
        self._accepting.start()

    @property
    def attached(self) -> bool:
        return self._client is not None

    def publish(self, report: rep.Report) -> None:
        """Send a report to the attached window, if any; a window gone is detached."""
        client = self._client
        if client is None or getattr(report, "local_only", False):
            return
        try:
            client.send(report)
        except (OSError, EOFError, ValueError):
            self._drop(client, keep_training=False)

    def close(self) -> None:
        """Stop listening, close the window's connection, remove ``trainer.json``."""
        self._closed = True
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / ENDPOINT_FILE).unlink()
        with contextlib.suppress(FileNotFoundError):
            (self.run_dir / SECRET_FILE).unlink()
        client, self._client = self._client, None
        if client is not None:
            _hang_up(client)
        self._wake_accept()
        with contextlib.suppress(OSError):
            self._listener.close()
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)

    def _wake_accept(self) -> None:
        """Unblock the accept thread (closing a listening socket does not wake it)."""
        if self.endpoint.family != "AF_UNIX":
            return
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as poke:
            poke.settimeout(1.0)
            poke.connect(str(self.endpoint.address))

    # ---------------------------------------------------------------- threads

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                conn = self._listener.accept()
            except AuthenticationError:
                self.refused += 1
                continue
            except (OSError, EOFError):
                if self._closed:
                    return
                continue
            # TrainerInfo first: only then may the loop's reports reach this window.
            try:
                conn.send(
                    rep.TrainerInfo(-1, os.getpid(), str(self.run_dir), self.control, self.owned)
                )
            except (OSError, ValueError):
                _hang_up(conn)
                continue
            with self._lock:
                old, self._client = self._client, conn
            if old is not None:  # newest wins: the older window hears why it goes
                with contextlib.suppress(OSError, ValueError):
                    old.send(rep.TakenOver(-1))
                _hang_up(old)
            threading.Thread(
                target=self._read_loop, args=(conn,), name="ganlab-channel-read", daemon=True
            ).start()
            if self.on_attach is not None:
                self.on_attach()

    def _read_loop(self, conn: Connection) -> None:
        keep_training = False
        while True:
            try:
                message: Any = conn.recv()
            except (EOFError, OSError, ValueError):
                break
            except Exception:  # an unpicklable message from an authenticated peer
                continue
            if isinstance(message, cmd.Detach):
                keep_training = message.keep_training
                break
            if not isinstance(message, cmd.Command):
                continue
            if not self.owned and isinstance(message, WIPING_COMMANDS):
                continue
            if self.control or isinstance(message, VIEW_COMMANDS):
                self.inbox.put(message)
        self._drop(conn, keep_training=keep_training)

    def _drop(self, conn: Connection, *, keep_training: bool) -> None:
        with self._lock:
            if self._client is not conn:
                return  # replaced by a newer window already
            self._client = None
        with contextlib.suppress(OSError):
            conn.close()
        if self.on_detach is not None and not self._closed:
            self.on_detach(keep_training)


def _hang_up(conn: Connection) -> None:
    """Close a window's connection so that the window sees the end of it.

    Closing alone is not enough on Unix while the connection's read thread waits in
    ``recv``: the socket lives on until that call returns, and the window would wait for
    ever. Shutting it down first ends both sides' reads.
    """
    if sys.platform != "win32":
        with (
            contextlib.suppress(OSError, ValueError),
            socket.socket(fileno=os.dup(conn.fileno())) as sock,
        ):
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        conn.close()


# ------------------------------------------------------------------- client


class TrainerClient:
    """A window's end of the channel to one trainer.

    Use :meth:`connect`. The first report received is the trainer's ``TrainerInfo``.
    """

    def __init__(self, conn: Connection, run_dir: Path, endpoint: Endpoint):
        self._conn = conn
        self.run_dir = run_dir
        self.endpoint = endpoint
        self._send_lock = threading.Lock()

    @classmethod
    def connect(cls, run_dir: str | Path) -> TrainerClient:
        """Attach to the trainer serving ``run_dir``.

        Raises
        ------
        ChannelError
            No trainer serves the run, the secret is missing or unsafe, or the trainer
            refused it.
        """
        run_dir = Path(run_dir)
        endpoint = read_endpoint(run_dir)
        secret = read_secret(run_dir)
        try:
            conn = Client(endpoint.address, family=endpoint.family, authkey=secret)
        except AuthenticationError:
            raise ChannelError(
                _("{run}: the trainer refused this run's secret").format(run=run_dir)
            ) from None
        except OSError as exc:
            raise ChannelError(
                _("{run}: cannot reach its trainer ({problem})").format(run=run_dir, problem=exc)
            ) from None
        return cls(conn, run_dir, endpoint)

    def send(self, command: cmd.Command) -> bool:
        """Send a command; False if the trainer is gone."""
        with self._send_lock:
            try:
                self._conn.send(command)
            except (OSError, ValueError):
                return False
        return True

    def recv(self) -> rep.Report:
        """The next report (blocks).

        Raises
        ------
        EOFError
            The trainer has gone (finished, stopped, killed).
        """
        try:
            message = self._conn.recv()
        except (OSError, ValueError) as exc:
            raise EOFError(str(exc)) from exc
        if not isinstance(message, rep.Report):
            raise EOFError(f"unexpected message {type(message).__name__}")
        return message

    def detach(self, *, keep_training: bool = True) -> None:
        """Leave the trainer (training on, unless it is a window's own run)."""
        self.send(cmd.Detach(keep_training=keep_training))
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.close()
