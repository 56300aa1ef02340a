"""Inception weights: where they live, which files are trusted, download, torch-fidelity calls.

No test touches the network or the real weights: files are made here, urllib and
torch_fidelity.calculate_metrics are replaced where a test says so, and the end-to-end
test builds a randomly initialised Inception-v3 with torch-fidelity's own class.
"""

from __future__ import annotations

import collections
import hashlib
import io
import pathlib
import sys
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch
import torch_fidelity
from torch_fidelity import feature_extractor_inceptionv3 as tf_inception
from torch_fidelity.feature_extractor_base import FeatureExtractorBase
from torch_fidelity.utils import get_featuresdict_from_dataset

from ganlab.kernel.errors import GanlabError
from ganlab.metrics import inception
from ganlab.metrics.features import fid, kid
from ganlab.metrics.inception import (
    VerifiedWeights,
    WeightsError,
    download_weights,
    image_metrics,
    image_sample_report,
    is_grayscale,
    verify_weights,
    weights_path,
)


class SideEffect:
    """Unpickling this creates a file: the side effect a hostile weights file would have."""

    def __init__(self, target: pathlib.Path):
        self.target = target

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.target),))


@pytest.fixture
def cache(tmp_path, monkeypatch) -> pathlib.Path:
    """A private user cache: platformdirs.user_cache_dir("ganlab") points here."""
    root = tmp_path / "user-cache"
    monkeypatch.setattr(inception.platformdirs, "user_cache_dir", lambda app: str(root / app))
    return root / "ganlab"


def plain_state_dict_file(path: pathlib.Path) -> pathlib.Path:
    state = collections.OrderedDict(
        [("conv.weight", torch.randn(4, 3, 3, 3)), ("fc.bias", torch.zeros(8))]
    )
    state["block"] = collections.OrderedDict([("bn.running_var", torch.ones(4))])
    torch.save(state, path)
    return path


def tampered_file(path: pathlib.Path, sentinel: pathlib.Path) -> pathlib.Path:
    """A state dict with one extra entry whose unpickling would create ``sentinel``."""
    torch.save({"conv.weight": torch.randn(2, 2), "extra": SideEffect(sentinel)}, path)
    return path


def sha256(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- constants


def test_weights_url_is_the_one_torch_fidelity_downloads():
    assert inception.WEIGHTS_URL == tf_inception.URL_INCEPTION_V3
    assert inception.WEIGHTS_URL.rsplit("/", 1)[1] == inception.WEIGHTS_FILE_NAME
    assert inception.MIRROR_URL.rsplit("/", 1)[1] == inception.MIRROR_FILE_NAME


def test_published_hash_agrees_with_the_hub_prefix_in_both_file_names():
    # torch.hub names files "<name>-<first hex digits of the SHA-256>.<ext>".
    prefix = inception.WEIGHTS_FILE_NAME.rsplit("-", 1)[1].split(".")[0]
    assert inception.MIRROR_FILE_NAME.rsplit("-", 1)[1].split(".")[0] == prefix
    assert inception.WEIGHTS_SHA256 is not None
    assert len(inception.WEIGHTS_SHA256) == 64
    assert inception.WEIGHTS_SHA256.startswith(prefix)


# --------------------------------------------------------------------------- weights_path


def test_weights_path_defaults_to_the_user_cache(cache):
    assert weights_path(None) == cache / "inception" / inception.WEIGHTS_FILE_NAME


def test_weights_path_prefers_the_user_file(cache, tmp_path):
    assert weights_path(tmp_path / "mine.pth") == tmp_path / "mine.pth"
    assert weights_path("~/w.pth") == pathlib.Path.home() / "w.pth"


# --------------------------------------------------------------------------- verify_weights


def test_plain_state_dict_is_accepted(tmp_path):
    path = plain_state_dict_file(tmp_path / "w.pth")
    verified = verify_weights(path)
    assert verified == VerifiedWeights(path=path, sha256=sha256(path), method="plain-state-dict")


def test_tampered_state_dict_is_refused_and_its_code_never_runs(tmp_path):
    sentinel = tmp_path / "pwned"
    path = tampered_file(tmp_path / "w.pth", sentinel)
    with pytest.raises(WeightsError) as info:
        verify_weights(path)
    message = str(info.value)
    assert str(path) in message
    assert "refused" in message
    assert "SHA-256 is not the published one" in message
    assert "pickled Python objects" in message
    assert "weights_only` set to `False`" not in message  # torch's retry advice is dropped
    assert not sentinel.exists()
    # The payload is live: unpickling the file (what torch-fidelity would do) runs it.
    torch.load(path, weights_only=False)
    assert sentinel.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({"conv.weight": torch.zeros(2), "epoch": 3}, "'epoch' is int, not a tensor"),
        ({"layers": [torch.zeros(2)]}, "'layers' is list"),
        (torch.zeros(3), "top level is Tensor"),
        ({}, "holds no tensors"),
    ],
    ids=["int-leaf", "list-leaf", "bare-tensor", "empty"],
)
def test_safe_files_that_are_not_a_state_dict_are_refused(tmp_path, content, reason):
    path = tmp_path / "w.pth"
    torch.save(content, path)
    with pytest.raises(WeightsError, match="not a plain state dict") as info:
        verify_weights(path)
    assert reason in str(info.value)
    assert str(path) in str(info.value)


def test_garbage_bytes_are_refused(tmp_path):
    path = tmp_path / "w.pth"
    path.write_bytes(b"\x00not a torch file at all" * 100)
    with pytest.raises(WeightsError, match="refused") as info:
        verify_weights(path)
    assert "not a readable PyTorch file" in str(info.value)
    assert str(path) in str(info.value)


def test_missing_weights_say_what_to_download_and_where(cache, tmp_path):
    missing = tmp_path / "nowhere.pth"
    with pytest.raises(WeightsError) as info:
        verify_weights(missing)
    message = str(info.value)
    for needed in (
        str(missing),
        inception.WEIGHTS_URL,
        inception.WEIGHTS_FILE_NAME,
        str(cache / "inception" / inception.WEIGHTS_FILE_NAME),
        "--weights FILE",
    ):
        assert needed in message
    assert info.value.path == missing
    assert isinstance(info.value, GanlabError)


def test_published_hash_is_accepted_without_loading_the_file(tmp_path, monkeypatch):
    sentinel = tmp_path / "pwned"
    path = tampered_file(tmp_path / "w.pth", sentinel)  # bytes the hash vouches for
    monkeypatch.setattr(inception, "WEIGHTS_SHA256", sha256(path))

    def no_load(*args, **kwargs):
        raise AssertionError("torch.load must not be called for a file with the published hash")

    monkeypatch.setattr(torch, "load", no_load)
    verified = verify_weights(path)
    assert verified.method == "published-sha256"
    assert verified.sha256 == sha256(path)
    assert not sentinel.exists()


def test_without_a_published_hash_the_state_dict_check_still_decides(tmp_path, monkeypatch):
    monkeypatch.setattr(inception, "WEIGHTS_SHA256", None)
    assert verify_weights(plain_state_dict_file(tmp_path / "a.pth")).method == "plain-state-dict"
    with pytest.raises(WeightsError, match="no published SHA-256"):
        verify_weights(tampered_file(tmp_path / "b.pth", tmp_path / "pwned"))


# --------------------------------------------------------------------------- download


class FakeResponse(io.BytesIO):
    """What urlopen returns: a readable body with headers, usable as a context manager."""

    def __init__(self, body: bytes, length: int | None = None):
        super().__init__(body)
        self.headers = {"Content-Length": str(len(body) if length is None else length)}


def serve(monkeypatch, bodies: dict[str, bytes], lengths: dict[str, int] | None = None):
    asked: list[str] = []

    def urlopen(request, timeout=None):
        url = request.full_url
        asked.append(url)
        if url not in bodies:
            raise urllib.error.URLError("network is unreachable")
        return FakeResponse(bodies[url], (lengths or {}).get(url))

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return asked


def test_download_failure_gives_the_manual_steps(cache, monkeypatch):
    asked = serve(monkeypatch, {})
    dest = weights_path(None)
    with pytest.raises(WeightsError) as info:
        download_weights(progress=False)
    message = str(info.value)
    for needed in (
        "could not download",
        "network is unreachable",
        inception.WEIGHTS_URL,
        inception.WEIGHTS_FILE_NAME,
        str(dest),
        "--weights FILE",
    ):
        assert needed in message
    assert asked == [inception.WEIGHTS_URL, inception.MIRROR_URL]
    assert list(dest.parent.iterdir()) == []  # no partial file left behind


def test_download_writes_the_verified_file_atomically(cache, monkeypatch, tmp_path):
    body = plain_state_dict_file(tmp_path / "src.pth").read_bytes()
    serve(monkeypatch, {inception.WEIGHTS_URL: body})
    verified = download_weights(progress=False)
    dest = cache / "inception" / inception.WEIGHTS_FILE_NAME
    assert verified.path == dest
    assert dest.read_bytes() == body
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]


def test_download_falls_back_to_the_mirror(cache, monkeypatch, tmp_path):
    body = plain_state_dict_file(tmp_path / "src.pth").read_bytes()
    asked = serve(monkeypatch, {inception.MIRROR_URL: body})
    dest = tmp_path / "elsewhere" / "w.pth"
    assert download_weights(dest, progress=False).path == dest
    assert asked == [inception.WEIGHTS_URL, inception.MIRROR_URL]
    assert dest.read_bytes() == body


def test_truncated_download_is_not_kept(cache, monkeypatch, tmp_path):
    body = plain_state_dict_file(tmp_path / "src.pth").read_bytes()
    serve(monkeypatch, {inception.WEIGHTS_URL: body[:100]}, {inception.WEIGHTS_URL: len(body)})
    with pytest.raises(WeightsError, match=f"closed after 100 of {len(body)} bytes"):
        download_weights(progress=False)
    assert list((cache / "inception").iterdir()) == []


def test_hostile_download_is_refused_and_never_run(cache, monkeypatch, tmp_path):
    sentinel = tmp_path / "pwned"
    body = tampered_file(tmp_path / "src.pth", sentinel).read_bytes()
    serve(monkeypatch, {inception.WEIGHTS_URL: body})
    with pytest.raises(WeightsError, match="refused and not kept"):
        download_weights(progress=False)
    assert not sentinel.exists()
    assert list((cache / "inception").iterdir()) == []


# --------------------------------------------------------------------------- image_metrics


class MeanPixel(FeatureExtractorBase):
    """Stand-in extractor: the mean pixel, with the input checks of torch-fidelity's Inception."""

    def __init__(self):
        super().__init__("mean-pixel", ["mean"])

    @staticmethod
    def get_provided_features_list():
        return ("mean",)

    def forward(self, x):
        assert torch.is_tensor(x)
        assert x.dtype == torch.uint8
        assert x.dim() == 4
        assert x.shape[1] == 3
        return (x.to(torch.float64).mean(dim=(1, 2, 3)).unsqueeze(1),)


@pytest.fixture
def calls(monkeypatch):
    """Replace torch_fidelity.calculate_metrics; record each call's keyword arguments.

    The recorded inputs are also run through torch-fidelity's own dataset reader with a
    stand-in extractor, so they are known to be what torch-fidelity accepts.
    """
    recorded: list[dict] = []

    def calculate_metrics(**kwargs):
        seen = dict(kwargs)
        for key in ("input1", "input2"):
            if kwargs.get(key) is not None:
                features = get_featuresdict_from_dataset(
                    kwargs[key], MeanPixel(), 3, kwargs["cuda"], kwargs["save_cpu_ram"], False
                )
                seen[f"{key}_means"] = features["mean"][:, 0].numpy()
        recorded.append(seen)
        out = {}
        if kwargs["isc"]:
            out |= {"inception_score_mean": 1.5, "inception_score_std": 0.1}
        if kwargs["fid"]:
            out["frechet_inception_distance"] = 12.0
        if kwargs["kid"]:
            out |= {"kernel_inception_distance_mean": 0.01, "kernel_inception_distance_std": 0.0}
        return out

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", calculate_metrics)
    return recorded


def images(n: int, seed: int, channels: int = 3, size: int = 8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, size, size, channels), dtype=np.uint8)


def test_image_metrics_passes_the_verified_file_and_uint8_chw_images(calls, tmp_path):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    real, fake = images(7, seed=1), images(5, seed=2)
    result = image_metrics(real, fake, weights=weights, device="cpu", progress=False)

    assert result == {
        "inception_score_mean": 1.5,
        "inception_score_std": 0.1,
        "frechet_inception_distance": 12.0,
        "kernel_inception_distance_mean": 0.01,
        "kernel_inception_distance_std": 0.0,
    }
    (kw,) = calls
    assert kw["feature_extractor_weights_path"] == str(weights)
    assert kw["feature_extractor"] == "inception-v3-compat"
    assert (kw["isc"], kw["fid"], kw["kid"], kw["cuda"]) == (True, True, True, False)
    # torch-fidelity computes IS on input1: the generated images go there.
    assert len(kw["input1"]) == 5
    assert len(kw["input2"]) == 7
    first = kw["input1"][0]
    assert first.dtype == torch.uint8
    assert tuple(first.shape) == (3, 8, 8)
    assert torch.equal(first, torch.from_numpy(fake[0]).permute(2, 0, 1))
    np.testing.assert_allclose(kw["input1_means"], fake.reshape(5, -1).mean(axis=1))
    np.testing.assert_allclose(kw["input2_means"], real.reshape(7, -1).mean(axis=1))
    # Few images: KID subsets and IS splits shrink to fit; nothing is cached or forked.
    assert (kw["kid_subset_size"], kw["isc_splits"]) == (5, 5)
    assert (kw["cache"], kw["save_cpu_ram"], kw["verbose"]) == (False, True, False)


def test_image_metrics_uses_the_user_cache_by_default(calls, cache):
    dest = cache / "inception" / inception.WEIGHTS_FILE_NAME
    dest.parent.mkdir(parents=True)
    plain_state_dict_file(dest)
    image_metrics(images(4, 1), images(4, 2), metrics=("fid",), progress=False)
    assert calls[0]["feature_extractor_weights_path"] == str(dest)
    assert (calls[0]["isc"], calls[0]["fid"], calls[0]["kid"]) == (False, True, False)


def test_image_metrics_refuses_hostile_weights_before_torch_fidelity_runs(calls, tmp_path):
    sentinel = tmp_path / "pwned"
    weights = tampered_file(tmp_path / "w.pth", sentinel)
    with pytest.raises(WeightsError, match="refused"):
        image_metrics(images(4, 1), images(4, 2), weights=weights)
    assert calls == []
    assert not sentinel.exists()


def test_image_metrics_without_weights_explains_and_does_not_call(calls, cache):
    with pytest.raises(WeightsError, match="not found") as info:
        image_metrics(images(4, 1), images(4, 2))
    assert inception.WEIGHTS_URL in str(info.value)
    assert calls == []


def test_grey_images_are_repeated_to_three_channels(calls, tmp_path):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    grey = images(4, seed=3, channels=1)
    image_metrics(images(4, 1), torch.from_numpy(grey), weights=weights, progress=False)
    item = calls[0]["input1"][2]
    assert tuple(item.shape) == (3, 8, 8)
    for channel in item:
        assert torch.equal(channel, torch.from_numpy(grey[2, :, :, 0]))


def grey3(n: int, seed: int) -> np.ndarray:
    """Gray images stored as RGB: three equal channels."""
    return np.repeat(images(n, seed, channels=1), 3, axis=3)


@pytest.mark.parametrize(
    ("make", "grey"),
    [
        (lambda: images(4, 1, channels=1), True),
        (lambda: grey3(4, 1), True),
        (lambda: torch.from_numpy(grey3(4, 1)), True),
        (lambda: images(4, 1), False),
        (lambda: np.concatenate([grey3(3, 1), images(1, 2)]), False),  # one coloured image
        (
            lambda: torch.utils.data.TensorDataset(
                torch.from_numpy(grey3(3, 1)).permute(0, 3, 1, 2), torch.arange(3)
            ),
            True,
        ),
    ],
)
def test_is_grayscale(make, grey):
    assert is_grayscale(make()) is grey


@pytest.mark.parametrize(
    ("n_real", "n_fake", "size", "subsets", "used"),
    [(7, 5, 1000, 100, (5, 100)), (6, 6, 1000, 100, (6, 1)), (9, 9, 4, 3, (4, 3))],
)
def test_sample_report_names_the_kid_subsets_torch_fidelity_gets(
    calls, tmp_path, n_real, n_fake, size, subsets, used
):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    real, fake = images(n_real, 1), grey3(n_fake, 2)
    kid_args = {"kid_subset_size": size, "kid_subsets": subsets}
    image_metrics(real, fake, weights=weights, progress=False, **kid_args)
    report = image_sample_report(real, fake, **kid_args)
    (kw,) = calls
    assert (kw["kid_subset_size"], kw["kid_subsets"]) == used
    assert (report.kid_subset_size, report.kid_subsets) == used
    assert (report.n_real, report.n_fake) == (n_real, n_fake)
    assert "generated images were grayscale: channels replicated to RGB for Inception" in (
        report.notes
    )
    assert not any(note.startswith("real images were grayscale") for note in report.notes)
    assert any(note.startswith("FID with N < 2048") for note in report.notes)


def test_sample_report_for_the_inception_score_alone_has_no_real_side():
    report = image_sample_report(None, images(12, 1, channels=1), metrics=("is",))
    assert report.n_real is None
    assert report.kid_subset_size is None
    assert report.notes == (
        "generated images were grayscale: channels replicated to RGB for Inception",
    )


def test_datasets_of_image_label_pairs_are_accepted(calls, tmp_path):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    chw = torch.from_numpy(images(6, seed=4)).permute(0, 3, 1, 2)
    pairs = torch.utils.data.TensorDataset(chw, torch.arange(6))
    image_metrics(pairs, images(5, 5), metrics=("fid", "kid"), weights=weights, progress=False)
    real = calls[0]["input2"]
    assert len(real) == 6
    assert torch.equal(real[4], chw[4])
    np.testing.assert_allclose(calls[0]["input2_means"], chw.double().mean(dim=(1, 2, 3)))


def test_inception_score_alone_needs_no_real_images(calls, tmp_path):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    result = image_metrics(None, images(12, 1), metrics=("is",), weights=weights, progress=False)
    assert set(result) == {"inception_score_mean", "inception_score_std"}
    assert calls[0]["input2"] is None
    assert calls[0]["isc_splits"] == 10


@pytest.mark.parametrize(
    ("real", "fake", "kwargs", "message"),
    [
        (images(4, 1), images(4, 2).astype(np.float32), {}, "uint8"),
        (images(4, 1).transpose(0, 3, 1, 2), images(4, 2), {}, r"\(N, H, W, C\)"),
        (images(4, 1), images(1, 2), {}, "at least 2 images"),
        (images(4, 1), images(4, 2), {"metrics": ("fid", "lpips")}, "unknown image metric"),
        (images(4, 1), images(4, 2), {"metrics": ()}, "no image metric"),
        (images(4, 1), images(4, 2), {"device": "mps"}, "'cpu' or 'cuda"),
        (images(4, 1), images(4, 2), {"device": "gpu0"}, "not a device name"),
        (
            torch.utils.data.TensorDataset(torch.rand(4, 3, 8, 8)),
            images(4, 2),
            {},
            "item 0 is a torch.float32",
        ),
        ("a/folder", images(4, 2), {}, "got the path 'a/folder'"),
    ],
    ids=[
        "float",
        "nchw",
        "one-image",
        "unknown",
        "none",
        "mps",
        "bad-device",
        "float-dataset",
        "str",
    ],
)
def test_image_metrics_rejects_bad_arguments_before_calling(
    calls, tmp_path, real, fake, kwargs, message
):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    with pytest.raises(ValueError, match=message):
        image_metrics(real, fake, weights=weights, **kwargs)
    assert calls == []


def test_cuda_without_a_gpu_is_refused_before_calling(calls, tmp_path, monkeypatch):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="no CUDA GPU"):
        image_metrics(images(4, 1), images(4, 2), weights=weights, device="cuda")
    assert calls == []


def test_cuda_device_sets_torch_fidelity_cuda_flag(tmp_path, monkeypatch):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    seen: list[bool] = []
    monkeypatch.setattr(
        torch_fidelity, "calculate_metrics", lambda **kw: seen.append(kw["cuda"]) or {}
    )
    image_metrics(images(4, 1), images(4, 2), weights=weights, device="cuda", progress=False)
    assert seen == [True]


def test_missing_torch_fidelity_is_a_plain_message(tmp_path, monkeypatch):
    weights = plain_state_dict_file(tmp_path / "w.pth")
    monkeypatch.setitem(sys.modules, "torch_fidelity", None)  # makes the import fail
    with pytest.raises(GanlabError, match="pip install torch-fidelity"):
        image_metrics(images(4, 1), images(4, 2), weights=weights)


def test_a_state_dict_that_is_not_inception_is_a_weights_error(monkeypatch, tmp_path):
    weights = plain_state_dict_file(tmp_path / "w.pth")

    def calculate_metrics(**kwargs):
        raise RuntimeError("Error(s) in loading state_dict for FeatureExtractorInceptionV3: ...")

    monkeypatch.setattr(torch_fidelity, "calculate_metrics", calculate_metrics)
    with pytest.raises(WeightsError, match="not the Inception-v3 weights") as info:
        image_metrics(images(4, 1), images(4, 2), weights=weights, progress=False)
    assert str(weights) in str(info.value)


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def random_inception_weights(tmp_path_factory) -> pathlib.Path:
    """torch-fidelity's Inception-v3 with random weights, saved as a plain state dict.

    Stands in for the real file, which cannot be downloaded here: same layer names and
    shapes, so torch-fidelity loads it exactly as it would load the published weights.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tf_inception, "load_state_dict_from_url", lambda *a, **k: {})
        mp.setattr(tf_inception.FeatureExtractorInceptionV3, "load_state_dict", lambda *a: None)
        model = tf_inception.FeatureExtractorInceptionV3("inception-v3-compat", ["2048"])
    # PyTorch's default init shrinks activations ~1e-8 over Inception's depth, which would
    # make every feature (and every metric) ~0; He init keeps them of order 0.1.
    torch.manual_seed(0)
    for module in model.modules():
        if isinstance(module, torch.nn.Conv2d):
            torch.nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
        elif isinstance(module, torch.nn.Linear):
            torch.nn.init.normal_(module.weight, std=module.in_features**-0.5)
    path = tmp_path_factory.mktemp("inception") / "random-inception.pth"
    torch.save(model.state_dict(), path)
    return path


@pytest.mark.slow
def test_torch_fidelity_runs_end_to_end_on_verified_weights(random_inception_weights, monkeypatch):
    # Record the Inception features torch-fidelity extracts (a spy; it changes nothing).
    extracted: list[np.ndarray] = []

    def spy(*args, **kwargs):
        out = get_featuresdict_from_dataset(*args, **kwargs)
        extracted.append(out["2048"].numpy())
        return out

    monkeypatch.setattr(torch_fidelity.utils, "get_featuresdict_from_dataset", spy)
    # Two images a side keep the CPU time down (Inception runs at 299x299). Equal counts:
    # torch-fidelity's KID subsets (size 2 of 2) are then all the samples.
    real, fake = images(2, seed=10, size=16), images(2, seed=11, size=16)
    result = image_metrics(real, fake, weights=random_inception_weights, progress=False)

    assert set(result) == {
        "inception_score_mean",
        "inception_score_std",
        "frechet_inception_distance",
        "kernel_inception_distance_mean",
        "kernel_inception_distance_std",
    }
    assert all(np.isfinite(v) for v in result.values())
    # One pass per input (fake first), 2048 features per image.
    f_fake, f_real = extracted
    assert f_fake.shape == f_real.shape == (2, 2048)
    # ganlab's own FID and KID on the same features agree with torch-fidelity's.
    assert result["frechet_inception_distance"] == pytest.approx(fid(f_real, f_fake), rel=1e-5)
    assert result["frechet_inception_distance"] > 0.01  # the features do differ
    # torch-fidelity evaluates the KID kernel in float32, ganlab in float64: they agree to
    # float32 round-off (~1e-6 on kernel values near 1), a few percent of this small KID.
    kid_mean, kid_std = kid(f_real, f_fake, subset_size=2)
    assert result["kernel_inception_distance_mean"] == pytest.approx(kid_mean, abs=5e-6)
    assert kid_std == 0.0
    assert result["kernel_inception_distance_std"] == pytest.approx(0.0, abs=1e-6)
