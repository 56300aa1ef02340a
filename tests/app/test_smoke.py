"""``ganlab --smoke-test``: the check the packaged lab runs after install."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
import torch

from ganlab import __version__
from ganlab.app.smoke import run_smoke_test
from ganlab.cli import main as cli_main


@pytest.mark.slow
def test_the_command_trains_paints_and_reports_json():
    """The real command, in its own process, as packaging/smoke_test.sh runs it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "ganlab", "--smoke-test", "--timeout", "90"],
        capture_output=True,
        text=True,
        env=env,
        timeout=150,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, done.stdout
    report = json.loads(lines[0])
    assert report["ok"] is True
    assert report["reason"] is None
    assert report["experiment"] == "ring8"
    assert report["steps"] >= report["steps_wanted"] == 50
    assert report["paints"] > 0
    assert report["first_paint_s"] is not None
    assert report["platform"] == "offscreen"
    # The default experiment uses device "auto": the GPU where there is one.
    assert report["device"].startswith("CPU") is not torch.cuda.is_available()
    assert report["ganlab"] == __version__
    assert report["torch"] == torch.__version__
    assert report["frozen"] is False
    assert report["cuda_available"] is torch.cuda.is_available()


def test_a_deadline_it_cannot_meet_fails_with_the_reason(qapp):
    out = io.StringIO()
    code = run_smoke_test(steps=10**9, timeout_s=0.5, out=out)
    assert code == 1
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert report["reason"].startswith("timed out after 0.5 s (step ")
    assert report["steps"] < 10**9
    assert "torch" in report  # versions are reported on failure too


def test_smoke_test_refuses_an_experiment_file(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        cli_main(["--smoke-test", str(tmp_path / "x.toml")])
    assert info.value.code == 2
    assert "always runs the default experiment" in capsys.readouterr().err


def test_smoke_test_refuses_a_nonpositive_timeout(capsys):
    with pytest.raises(SystemExit) as info:
        cli_main(["--smoke-test", "--timeout", "0"])
    assert info.value.code == 2
    assert "--timeout must be positive" in capsys.readouterr().err


def test_timeout_without_smoke_test_is_refused(capsys):
    with pytest.raises(SystemExit) as info:
        cli_main(["--timeout", "30"])
    assert info.value.code == 2
    assert "--timeout only applies to --smoke-test" in capsys.readouterr().err
