"""A headless ``ganlab train`` in a real process: Ctrl+C and SIGTERM keep the run, and a
window that attaches and leaves never leaves it paused.

Each test starts a real ``python -m ganlab train``; the shared fixture in
tests/conftest.py fails any test that leaves one behind.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ganlab.cli import EXIT_INTERRUPTED, main
from ganlab.engine.channel import ENDPOINT_FILE, SECRET_FILE, TrainerClient
from ganlab.kernel import commands as cmd
from ganlab.kernel import config as cfg
from ganlab.kernel import reports as rep
from ganlab.kernel.checkpoint import load_checkpoint
from ganlab.kernel.rundir import RunDir
from tests.conftest import tiny_config

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

# Starting a trainer process imports torch: seconds on a loaded 2-core machine. These are
# bounds on polling loops, never expected durations.
START_S = 120.0
END_S = 60.0


class Headless:
    """A ``ganlab train`` subprocess serving windows, its run directory and its stderr."""

    def __init__(self, tmp_path: Path):
        experiment = tmp_path / "tiny.toml"
        cfg.save(tiny_config(), experiment)
        self.out = tmp_path / "run"
        self.err_path = tmp_path / "stderr.txt"
        self._err = open(self.err_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ganlab",
                "train",
                str(experiment),
                "--steps",
                "1000000",
                "--out",
                str(self.out),
            ],
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:  # the run says where to attach once it serves
            if "--attach" in line:
                break
        else:
            self.end()
            raise AssertionError(f"the headless run ended before it served: {self.stderr()}")

    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8")

    def last_step(self) -> int:
        """The step of the newest row of metrics.jsonl (0 before the first)."""
        metrics = self.out / "metrics.jsonl"
        if not metrics.is_file():
            return 0
        rows = [line for line in metrics.read_text(encoding="utf-8").splitlines() if line]
        return int(json.loads(rows[-1])["step"]) if rows else 0

    def wait_for_step_past(self, step: int) -> int:
        """Poll metrics.jsonl until a row past ``step`` is written (bounded)."""
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.stderr()
            now = self.last_step()
            if now > step:
                return now
            time.sleep(0.1)
        raise AssertionError(f"the run stayed at step {step}")

    def end(self) -> int:
        """Wait for the process to end (ending it if need be); its exit status."""
        try:
            code = self.process.wait(END_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = None
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._err.close()
        assert code is not None, "the run did not end"
        return code


@pytest.fixture
def headless(tmp_path):
    run = Headless(tmp_path)
    yield run
    if run.process.poll() is None:
        run.process.kill()
    run.end()


@posix_only
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_with_a_checkpoint_it_resumes_from(headless, signum, capsys):
    headless.wait_for_step_past(0)  # training, not still building
    headless.process.send_signal(signum)
    assert headless.end() == EXIT_INTERRUPTED
    run = RunDir(headless.out)
    checkpoint = run.latest_checkpoint()
    assert checkpoint is not None, headless.stderr()
    step = load_checkpoint(checkpoint)["step"]
    assert step > 0
    assert not (headless.out / ENDPOINT_FILE).exists()
    assert not (headless.out / SECRET_FILE).exists()
    err = " ".join(headless.stderr().split())
    assert "stopping, writing a checkpoint" in err
    assert f"ganlab train --resume {headless.out} --steps" in err
    # The hint works.
    argv = ["train", "--resume", str(headless.out), "--steps", str(step + 3), "--no-window"]
    assert main([*argv, "--quiet"]) == 0
    assert load_checkpoint(run.latest_checkpoint())["step"] == step + 3


@posix_only
def test_a_window_that_pauses_the_run_and_leaves_leaves_it_training(headless):
    client = TrainerClient.connect(headless.out)
    try:
        assert isinstance(client.recv(), rep.TrainerInfo)
        client.send(cmd.Pause())
        for _ in range(100_000):  # the reports of an attach, then the pause
            report = client.recv()
            if isinstance(report, rep.StateChanged) and report.state == "paused":
                break
        else:
            raise AssertionError("the run did not pause")
        client.send(cmd.Step())
        for _ in range(100_000):
            report = client.recv()
            if isinstance(report, rep.ScalarBatch) and len(report):
                break
        paused_at = headless.last_step()
    finally:
        client.detach()
    headless.wait_for_step_past(paused_at)  # training again, with no window
    headless.process.send_signal(signal.SIGINT)
    assert headless.end() == EXIT_INTERRUPTED
    # The terminal said each of it.
    err = headless.stderr()
    assert "a window attached" in err
    assert "paused from a window" in err
    assert "a step from the window" in err
    assert "the window left; training goes on" in err
    assert "playing again" in err


@posix_only
def test_a_window_s_own_trainer_stops_with_a_checkpoint_on_sigterm(tmp_path):
    from ganlab.engine.host import READY_LINE

    out = tmp_path / "own"
    process = subprocess.Popen(
        [sys.executable, "-m", "ganlab", "trainer", "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(cfg.dumps(tiny_config()))
        process.stdin.close()
        assert process.stdout.readline().strip() == READY_LINE
        client = TrainerClient.connect(out)
        try:
            client.send(cmd.Play())
            for _ in range(100_000):  # trained a few steps
                report = client.recv()
                if isinstance(report, rep.ScalarBatch) and len(report) and report.steps[-1] > 2:
                    break
            process.send_signal(signal.SIGTERM)
            assert process.wait(END_S) == 0
        finally:
            client.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    checkpoint = RunDir(out).latest_checkpoint()
    assert checkpoint is not None
    assert load_checkpoint(checkpoint)["step"] > 2
    assert not (out / ENDPOINT_FILE).exists()
