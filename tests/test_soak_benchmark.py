"""benchmarks/soak.py's figures, CSV and PNG on made-up samples (the soak itself runs for
minutes, outside the suite: see docs/soak.md)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image

SOAK_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "soak.py"


@pytest.fixture(scope="module")
def soak():
    spec = importlib.util.spec_from_file_location("ganlab_benchmark_soak", SOAK_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def samples(soak, minutes, rss, fps, trainer=700.0):
    """One sample every 10 s; ``rss`` and ``fps`` are functions of the minute."""
    out = []
    n = round(minutes * 6)
    for i in range(1, n + 1):
        m = i / 6
        out.append(
            soak.Sample(
                minute=m,
                window_rss_mb=rss(m),
                trainer_rss_mb=trainer,
                fps=fps(m),
                all_views_fps=2 * fps(m),
                ticks_per_s=30.0,
                steps_per_s=100.0,
                step=i * 1000,
                py_objects=100_000,
                scene_items=800,
                curve_points=i * 10,
                metric_rows=i,
                markers=0,
                diagnoses=0,
                log_lines=1,
            )
        )
    return out


def test_flat_run_meets_both_goals(soak):
    f = soak.figures(samples(soak, 5, rss=lambda m: 240.0, fps=lambda m: 16.0))
    assert f.window_growth_mb == 0.0
    assert f.trainer_growth_mb == 0.0
    assert f.fps_ratio == pytest.approx(1.0)
    assert f.memory_ok
    assert f.fps_ok
    assert "met" in soak.report(f)
    assert "MISSED" not in soak.report(f)


def test_growth_is_measured_from_minute_one(soak):
    # 200 MB of start-up allocations in the first minute are not growth; 12 MB/min after are.
    def rss(m):
        return 40.0 + 200.0 * min(m, 1.0) + 12.0 * max(m - 1.0, 0.0)

    f = soak.figures(samples(soak, 6, rss=rss, fps=lambda m: 16.0))
    assert f.window_rss_first_mb == pytest.approx(240.0)
    assert f.window_growth_mb == pytest.approx(60.0)
    assert not f.memory_ok
    assert f.fps_ok
    assert "RSS growth <= 50 MB (each process): MISSED" in soak.report(f)


def test_a_frame_rate_that_sinks_misses_its_goal(soak):
    f = soak.figures(samples(soak, 5, rss=lambda m: 240.0, fps=lambda m: 20.0 - 2.0 * int(m)))
    assert f.fps_first == pytest.approx(20.0, abs=0.5)
    assert f.fps_last == pytest.approx(12.0, abs=0.5)
    assert f.fps_ratio < soak.GOAL_FPS_RATIO
    assert not f.fps_ok
    assert f.memory_ok


def test_a_short_run_compares_its_halves(soak):
    f = soak.figures(samples(soak, 1, rss=lambda m: 240.0 + 10 * m, fps=lambda m: 16.0))
    assert f.window_rss_first_mb == pytest.approx(245.0)
    assert f.window_growth_mb == pytest.approx(5.0)
    with pytest.raises(ValueError, match="two samples"):
        soak.figures(samples(soak, 1 / 6, rss=lambda m: 1.0, fps=lambda m: 1.0))


def test_csv_reads_back_and_png_is_drawn(soak, qapp, tmp_path):
    rows = samples(soak, 3, rss=lambda m: 240.0 + m, fps=lambda m: 16.0 + m)
    soak.write_csv(rows, tmp_path / "soak.csv")
    back = soak.read_csv(tmp_path / "soak.csv")
    assert [r.step for r in back] == [r.step for r in rows]
    assert [r.window_rss_mb for r in back] == pytest.approx(
        [r.window_rss_mb for r in rows], abs=1e-3
    )  # written with 3 decimals
    soak.write_png(back, tmp_path / "soak.png", "test")
    with Image.open(tmp_path / "soak.png") as image:
        assert image.size[0] == 1000
        assert image.size[1] > 500
        assert len(image.convert("RGB").getcolors(1_000_000) or []) > 3  # not a blank image
