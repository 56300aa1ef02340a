"""The channel between a trainer and a window: who may connect, and what passes."""

from __future__ import annotations

import os
import pickle
import queue
import socket
import stat
import sys
import threading

import pytest

from ganlab.engine.channel import (
    ENDPOINT_FILE,
    SECRET_FILE,
    ChannelError,
    TrainerClient,
    TrainerServer,
    read_endpoint,
    read_secret,
)
from ganlab.kernel import commands as cmd
from ganlab.kernel import reports as rep

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="Unix permissions and sockets")


@pytest.fixture
def served(tmp_path):
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    attached = threading.Event()
    detached: queue.Queue[bool] = queue.Queue()
    server = TrainerServer(
        tmp_path, inbox, on_attach=attached.set, on_detach=detached.put, control=True
    )
    yield server, inbox, attached, detached
    server.close()


def test_a_window_with_the_secret_sends_commands_and_receives_reports(served, tmp_path):
    server, inbox, attached, _ = served
    client = TrainerClient.connect(tmp_path)
    info = client.recv()
    assert isinstance(info, rep.TrainerInfo)
    assert info.pid == os.getpid()
    assert info.control
    assert attached.wait(5)
    client.send(cmd.SetLearningRate("d", 0.01))
    assert inbox.get(timeout=5) == cmd.SetLearningRate("d", 0.01)
    server.publish(rep.StateChanged(3, "paused", 17))
    assert client.recv() == rep.StateChanged(3, "paused", 17)
    client.close()


@posix_only
def test_the_secret_is_readable_by_its_owner_only(served, tmp_path):
    mode = stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode)
    assert mode == 0o600


@posix_only
def test_a_secret_other_users_can_read_is_refused_with_the_fix(served, tmp_path):
    (tmp_path / SECRET_FILE).chmod(0o644)
    with pytest.raises(ChannelError, match="chmod 600"):
        read_secret(tmp_path)


def test_a_wrong_secret_is_refused_and_the_trainer_goes_on(served, tmp_path):
    from multiprocessing.connection import Client

    server = served[0]
    endpoint = read_endpoint(tmp_path)
    with pytest.raises(Exception, match=r"digest|challenge|authentication"):
        Client(endpoint.address, family=endpoint.family, authkey=b"x" * 32)
    # The trainer still serves its owner afterwards.
    client = TrainerClient.connect(tmp_path)
    assert isinstance(client.recv(), rep.TrainerInfo)
    assert server.refused == 1
    client.close()


@posix_only
def test_nothing_is_unpickled_from_a_peer_without_the_secret(served, tmp_path):
    """A peer that skips the challenge and sends a pickle that would run code gets
    nothing run: the trainer reads its bytes only as an answer to the challenge."""
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    data = pickle.dumps(Payload())
    endpoint = read_endpoint(tmp_path)
    with socket.socket(socket.AF_UNIX) as raw:
        raw.settimeout(5)
        raw.connect(str(endpoint.address))
        raw.sendall(len(data).to_bytes(4, "big") + data)  # taken as the challenge's answer
        try:
            while raw.recv(1024):  # the challenge, the refusal, then the trainer hangs up
                pass
        except OSError:
            pass
    # The refusal was counted and the trainer still serves its owner.
    client = TrainerClient.connect(tmp_path)
    assert isinstance(client.recv(), rep.TrainerInfo)
    client.close()
    assert served[0].refused == 1
    assert not marker.exists()


def test_a_read_only_run_takes_view_commands_and_drops_the_rest(tmp_path):
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    server = TrainerServer(tmp_path, inbox, control=False)
    try:
        client = TrainerClient.connect(tmp_path)
        info = client.recv()
        assert isinstance(info, rep.TrainerInfo)
        assert not info.control
        client.send(cmd.Play())
        client.send(cmd.SetLearningRate("g", 1.0))
        client.send(cmd.SnapshotTaken())
        assert inbox.get(timeout=5) == cmd.SnapshotTaken()  # the only one that passed
        assert inbox.empty()
        client.close()
    finally:
        server.close()


def test_detach_keeps_training_and_a_lost_window_does_not(served, tmp_path):
    _, _, _, detached = served
    client = TrainerClient.connect(tmp_path)
    client.recv()
    client.detach(keep_training=True)
    assert detached.get(timeout=5) is True
    other = TrainerClient.connect(tmp_path)
    other.recv()
    other.close()  # a window that dies says nothing
    assert detached.get(timeout=5) is False


def test_closing_the_server_removes_its_endpoint_and_secret(tmp_path):
    server = TrainerServer(tmp_path, queue.Queue())
    assert (tmp_path / ENDPOINT_FILE).exists()
    server.close()
    assert not (tmp_path / ENDPOINT_FILE).exists()
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(ChannelError, match="no trainer serves this run now"):
        TrainerClient.connect(tmp_path)


def test_an_endpoint_of_a_dead_trainer_says_how_to_continue(tmp_path):
    import json
    import subprocess

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ENDPOINT_FILE).write_text(
        json.dumps({"family": "AF_UNIX", "address": "/nowhere", "pid": dead.pid, "control": True})
    )
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "step_00000010.pt").write_bytes(b"x")
    with pytest.raises(ChannelError, match="--resume"):
        read_endpoint(tmp_path)


def test_local_only_reports_never_leave_the_trainer(served, tmp_path):
    server, _, attached, _ = served

    class Internal(rep.LogMessage):
        local_only = True

    client = TrainerClient.connect(tmp_path)
    client.recv()
    assert attached.wait(5)
    server.publish(Internal(0, "state dict"))
    server.publish(rep.LogMessage(0, "shown"))
    assert client.recv() == rep.LogMessage(0, "shown")
    client.close()


def test_a_run_no_window_owns_drops_the_commands_that_would_wipe_it(tmp_path):
    """A headless run's window may pause, step and change live settings (ApplyConfig
    carries those too), but never start the run again, change its networks or load
    another checkpoint into it."""
    from tests.conftest import tiny_config

    inbox: queue.Queue[cmd.Command] = queue.Queue()
    server = TrainerServer(tmp_path, inbox, control=True, owned=False)
    try:
        client = TrainerClient.connect(tmp_path)
        assert isinstance(client.recv(), rep.TrainerInfo)
        config = tiny_config()
        client.send(cmd.Reset(seed=3))
        client.send(cmd.SwitchArchitecture(config.model))
        client.send(cmd.LoadCheckpoint(str(tmp_path / "other.pt")))
        client.send(cmd.ApplyConfig(config))
        client.send(cmd.Pause())
        client.send(cmd.Step())
        assert inbox.get(timeout=5) == cmd.ApplyConfig(config)
        assert inbox.get(timeout=5) == cmd.Pause()
        assert inbox.get(timeout=5) == cmd.Step()
        assert inbox.empty()
        client.close()
    finally:
        server.close()


def test_a_window_s_own_run_still_takes_a_reset(tmp_path):
    inbox: queue.Queue[cmd.Command] = queue.Queue()
    server = TrainerServer(tmp_path, inbox, control=True, owned=True)
    try:
        client = TrainerClient.connect(tmp_path)
        client.recv()
        client.send(cmd.Reset(seed=3))
        assert inbox.get(timeout=5) == cmd.Reset(seed=3)
        client.close()
    finally:
        server.close()


def test_a_second_window_takes_the_run_over_and_the_first_hears_it(served, tmp_path):
    _, _, _, detached = served
    first = TrainerClient.connect(tmp_path)
    assert isinstance(first.recv(), rep.TrainerInfo)
    second = TrainerClient.connect(tmp_path)
    assert isinstance(second.recv(), rep.TrainerInfo)  # the newest wins ...
    assert isinstance(first.recv(), rep.TakenOver)  # ... and the first is told so
    with pytest.raises(EOFError):
        first.recv()
    first.close()
    assert detached.empty()  # the run kept its window: no detach
    second.close()
    assert detached.get(timeout=5) is False


def test_a_missing_run_folder_is_named(tmp_path):
    with pytest.raises(ChannelError, match="no such folder"):
        read_endpoint(tmp_path / "nowhere")


def _dead_endpoint(run_dir) -> None:
    import json
    import subprocess

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (run_dir / ENDPOINT_FILE).write_text(
        json.dumps({"family": "AF_UNIX", "address": "/nowhere", "pid": dead.pid, "control": True})
    )


def test_a_dead_trainer_without_a_checkpoint_is_not_sent_to_resume(tmp_path):
    _dead_endpoint(tmp_path)
    with pytest.raises(ChannelError) as info:
        read_endpoint(tmp_path)
    message = str(info.value)
    assert "no longer running" in message
    assert "--resume" not in message  # it would fail: there is nothing to resume from
    assert "no checkpoint" in message


def test_a_finished_run_with_a_checkpoint_says_how_to_see_and_continue_it(tmp_path):
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "step_00000010.pt").write_bytes(b"x")
    with pytest.raises(ChannelError) as info:
        read_endpoint(tmp_path)
    message = str(info.value)
    assert "no trainer serves this run now" in message
    assert f"ganlab --run {tmp_path}" in message
    assert f"ganlab train --resume {tmp_path} --steps N" in message
