"""DistributedDataParallel training with real processes: 2 ranks, CPU, gloo.

The rank processes run tests/engine/ddp_worker.py (started with the variables torchrun
sets) or ``torchrun -m ganlab train``; each launch has a time limit, and a launch that
overruns is killed with its whole process group, so no process is left behind.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from ganlab.cli import main
from ganlab.engine import distributed, losses
from ganlab.engine.trainer import Trainer
from ganlab.kernel.checkpoint import load_checkpoint

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LAUNCH_TIMEOUT_S = 120
# One SGD step of the 2B-batch process against 2 ranks of B: float32 sums taken in
# another order (one mean over 2B vs the mean of two means of B) differ by a few ulp.
RTOL, ATOL = 1e-5, 1e-6


def _spec():
    spec = importlib.util.spec_from_file_location("ddp_worker", HERE / "ddp_worker.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


worker = _spec()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE")}
    return {**inherited, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), **extra}


def _wait_all(procs: list[subprocess.Popen], timeout: float) -> list[tuple[int, str]]:
    """Wait for every process; on timeout kill each one's process group and fail."""
    try:
        outs = [p.communicate(timeout=timeout) for p in procs]
    except subprocess.TimeoutExpired:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
        pytest.fail(f"a rank process ran past {timeout} s and was killed")
    return [(p.returncode, (o or "") + (e or "")) for p, (o, e) in zip(procs, outs, strict=True)]


@pytest.fixture(scope="module")
def job(tmp_path_factory) -> tuple[Path, list[dict], list[str]]:
    """One 2-rank job of ddp_worker.py: its folder, what each rank saw, each one's output."""
    out = tmp_path_factory.mktemp("ddp")
    _write_experiment(out / "exp.toml")
    port, train_port = str(_free_port()), str(_free_port())
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "ddp_worker.py"), str(out), train_port],
            env=_env(
                RANK=str(r),
                WORLD_SIZE="2",
                LOCAL_RANK=str(r),
                LOCAL_WORLD_SIZE="2",
                MASTER_ADDR="127.0.0.1",
                MASTER_PORT=port,
            ),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for r in range(2)
    ]
    finished = _wait_all(procs, LAUNCH_TIMEOUT_S)
    for code, output in finished:
        assert code == 0, output[-4000:]
    results = [torch.load(out / f"rank{r}.pt", weights_only=False) for r in range(2)]
    return out, results, [output for _code, output in finished]


@pytest.fixture(scope="module")
def ranks(job) -> list[dict]:
    return job[1]


def _reference(loss: str, rank_results: list[dict], monkeypatch) -> Trainer:
    """One plain process, batch 2B, fed exactly the ranks' samples (rank 0's first)."""
    trainer = Trainer(worker.equivalence_config(loss, 2 * worker.BATCH))
    draws = [r["draws"] for r in rank_results]
    both = {
        k: [torch.cat(parts) for parts in zip(*(d[k] for d in draws), strict=True)]
        for k in draws[0]
    }
    real, noise = iter(both["real"]), iter(both["noise"])
    monkeypatch.setattr(trainer, "_real_batch", lambda n: (next(real), None))
    monkeypatch.setattr(trainer, "_noise", lambda n: (next(noise), None))
    penalty = losses.gradient_penalty
    eps = iter(both["eps"])
    monkeypatch.setattr(
        losses,
        "gradient_penalty",
        lambda D, real, fake, y, gen: penalty(D, real, fake, y, gen, eps=next(eps)),  # noqa: N803
    )
    trainer.step("both")
    for left in (real, noise, eps):  # every draw of the ranks was used, once
        assert next(left, None) is None
    return trainer


@pytest.mark.parametrize("loss", worker.EQUIVALENCE_LOSSES)
def test_two_ranks_of_b_step_like_one_process_of_2b(ranks, loss, monkeypatch):
    results = [r["equivalence"][loss] for r in ranks]
    assert not torch.equal(results[0]["draws"]["real"][0], results[1]["draws"]["real"][0])
    reference = _reference(loss, results, monkeypatch)
    expected = worker.snapshot(reference)
    for key in ("G", "D", "G_grad", "D_grad"):
        for name, value in expected[key].items():
            torch.testing.assert_close(results[0][key][name], value, rtol=RTOL, atol=ATOL)
            # DDP hands every rank the same averaged gradient: identical weights.
            assert torch.equal(results[0][key][name], results[1][key][name]), (key, name)


def test_commands_reaching_rank_0_apply_on_every_rank_at_the_same_step(ranks):
    logs = [r["commands"]["steps"] for r in ranks]
    assert logs[0] == logs[1]
    default = worker.tiny_config()
    lr_d, lr_g = default.optimizer_d.lr, default.optimizer_g.lr
    expected = [(s, "both", lr_d, lr_g) for s in (1, 2, 3)]
    expected += [(4, "d", worker.LR_D, lr_g)]  # paused after step 3: one D step, then Play
    expected += [(s, "both", worker.LR_D, worker.LR_G) for s in range(5, 11)]
    assert logs[0] == expected  # learning rates are the floats sent, set as they are
    for key in ("G", "D"):
        for name, value in ranks[0]["commands"][key].items():
            assert torch.equal(value, ranks[1]["commands"][key][name])


def test_published_losses_are_the_mean_over_ranks(ranks):
    published = ranks[0]["commands"]["published"]
    assert [step for step, _ in published] == list(range(1, 11))
    own = [torch.tensor(r["commands"]["own"], dtype=torch.float64) for r in ranks]
    assert not torch.allclose(own[0], own[1], equal_nan=True)  # the ranks saw other samples
    mean = (own[0] + own[1]) / 2
    got = torch.tensor([values for _, values in published], dtype=torch.float64)
    torch.testing.assert_close(got, mean, rtol=1e-6, atol=1e-7, equal_nan=True)


def test_a_restored_state_continues_exactly_on_every_rank(ranks):
    result = ranks[0]["resume"]
    assert result["rng_ranks"] == 2
    for key in ("G", "D"):
        for name, value in result["straight"][key].items():
            assert torch.equal(value, result["again"][key][name]), (key, name)


def test_every_family_keeps_the_same_weights_on_every_rank(ranks):
    from ganlab.kernel.registry import MODEL_FAMILIES

    assert set(ranks[0]["families"]) == set(MODEL_FAMILIES.names())
    for family, result in ranks[0]["families"].items():
        for key in ("G", "D"):
            for name, value in result[key].items():
                other = ranks[1]["families"][family][key][name]
                assert torch.equal(value, other), (family, result["loss"], key, name)


def _torchrun(*args: str) -> tuple[int, str, str]:
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        "-m",
        "ganlab",
        "train",
        *args,
    ]
    proc = subprocess.Popen(
        command,
        env=_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=LAUNCH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"torchrun ran past {LAUNCH_TIMEOUT_S} s and was killed")
    return proc.returncode, out, err


def _rows(run: Path) -> list[int]:
    lines = (run / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
    return [row["step"] for row in map(json.loads, lines) if "event" not in row]


def _write_experiment(path: Path) -> Path:
    path.write_text(
        '[data]\nsource = "ring8_teaching"\n'
        "[model]\ng_hidden = 16\nd_hidden = 16\ng_layers = 1\nd_layers = 1\n"
        '[loop]\nbatch_size = 16\ndevice = "cpu"\nthreads = 1\nfixed_samples = 32\n'
        "grid_size = 12\n",
        encoding="utf-8",
    )
    return path


def test_launch_is_detected_from_torchruns_variables():
    assert distributed.launched({"RANK": "1", "WORLD_SIZE": "2"})
    assert not distributed.launched({})
    assert distributed.follower_process({"RANK": "1", "WORLD_SIZE": "2"})
    assert not distributed.follower_process({"RANK": "0", "WORLD_SIZE": "2"})


def test_rank_0_draws_like_one_process_and_other_ranks_draw_their_own():
    assert distributed.rank_seed(7, 0, 1) == 8  # Trainer's data generator: seed + 1
    seeds = {distributed.rank_seed(7, r, s) for r in range(1, 4) for s in (1, 2)}
    assert len(seeds) == 6
    assert distributed.rank_seed(7, 1, 1, step=10) != distributed.rank_seed(7, 1, 1, step=11)


def test_ganlab_train_on_2_ranks_has_rank_0_alone_print_and_write(job):
    out, results, outputs = job
    assert [r["train"] for r in results] == [0, 0]
    assert "ganlab: done" in outputs[0]
    assert outputs[1].strip() == ""  # rank 1 prints nothing
    run = out / "run"
    assert _rows(run) == [1, 2, 3, 4]  # no row twice
    state = load_checkpoint(run / "checkpoints" / "step_00000004.pt")
    assert len(state["rng_ranks"]) == 2
    assert not any(k.startswith("module.") for k in (*state["g"], *state["d"]))


def test_torchrun_resume_continues_from_the_checkpoint_step(job, tmp_path):
    run = Path(shutil.copytree(job[0] / "run", tmp_path / "run"))
    code, out, err = _torchrun("--resume", str(run), "--steps", "6")
    assert code == 0, err[-4000:]
    assert out.count("ganlab: done: step 6") == 1  # rank 0 alone prints
    assert _rows(run) == [1, 2, 3, 4, 5, 6]  # went on from the checkpoint's step 4
    assert load_checkpoint(run / "checkpoints" / "step_00000006.pt")["step"] == 6


def test_a_ddp_checkpoint_resumes_in_one_process(job, tmp_path):
    run = Path(shutil.copytree(job[0] / "run", tmp_path / "run"))
    assert main(["train", "--resume", str(run), "--steps", "5", "--quiet"]) == 0
    assert _rows(run) == [1, 2, 3, 4, 5]
