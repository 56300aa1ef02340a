"""Latent paths: endpoints, the spherical path's angles and lengths."""

from __future__ import annotations

import numpy as np
import pytest

from ganlab.kernel.interpolation import lerp, path, slerp


def test_lerp_and_slerp_hit_both_endpoints():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=8), rng.normal(size=8)
    for f in (lerp, slerp):
        ends = f(a, b, np.array([0.0, 1.0]))
        np.testing.assert_allclose(ends[0], a, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(ends[1], b, rtol=1e-5, atol=1e-6)


def test_slerp_moves_at_constant_angular_speed_on_the_sphere():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    pts = slerp(a, b, np.linspace(0, 1, 5))
    np.testing.assert_allclose(np.linalg.norm(pts, axis=1), 1.0, rtol=1e-6)
    angles = np.degrees(np.arctan2(pts[:, 1], pts[:, 0]))
    np.testing.assert_allclose(angles, [0, 22.5, 45, 67.5, 90], atol=1e-4)


def test_lerp_midpoint_of_opposite_unit_vectors_is_the_origin_but_slerp_is_not():
    a, b = np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0])
    assert np.linalg.norm(lerp(a, b, 0.5)) == pytest.approx(np.sqrt(0.5))
    assert np.linalg.norm(slerp(a, b, 0.5)) == pytest.approx(1.0)


def test_path_through_three_vectors_has_the_right_length():
    zs = np.eye(3)
    p = path(zs, steps_per_segment=4)
    assert p.shape == (9, 3)
    np.testing.assert_allclose(p[4], zs[1], atol=1e-6)


def test_path_needs_two_vectors():
    with pytest.raises(ValueError, match="at least two"):
        path(np.zeros((1, 3)), 4)
