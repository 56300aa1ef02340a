"""The packaging files agree with the project (the build itself runs in packaging/build.sh)."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


def pins(path: Path) -> dict[str, Version]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"{path.name}: '{line}' is not pinned with =="
            found[canonicalize_name(name)] = Version(version)
    return found


@pytest.mark.parametrize("variant", ["cpu", "cuda"])
def test_build_env_pins_every_runtime_dependency_within_its_range(variant):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = pins(PACKAGING / f"requirements-{variant}.txt")
    for spec in project["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pinned, f"requirements-{variant}.txt lacks {req.name} (pyproject: {spec})"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"requirements-{variant}.txt pins {req.name}=={pinned[name]}, outside {spec}"
        )
    assert "pyinstaller" in pinned


def test_cpu_build_uses_the_cpu_torch():
    # (Whether torchvision matches it is pip's check: torchvision pins its torch.)
    assert pins(PACKAGING / "requirements-cpu.txt")["torch"].local == "cpu"
    assert pins(PACKAGING / "requirements-cuda.txt")["torch"].local is None  # PyPI's CUDA build


def test_desktop_entry_launches_the_command_with_the_packaged_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "ganlab.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "ganlab"
    assert section["Icon"] == "ganlab"
    assert section["Comment[es]"]  # the classroom languages
    assert (ROOT / "resources" / "icons" / "ganlab.svg").is_file()


def test_deb_control_template_has_the_fields_build_sh_fills():
    control = (PACKAGING / "debian" / "control.in").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", control, flags=re.MULTILINE))
    assert fields["Version"] == "@VERSION@"
    assert fields["Installed-Size"] == "@INSTALLED_SIZE@"
    assert fields["Architecture"] == "amd64"
    depends = {d.split()[0] for d in fields["Depends"].split(", ")}
    assert {"libc6", "libgl1", "libegl1"} <= depends


def test_torchvision_schema_hook_matches_the_real_operators():
    """The CPU bundle's hook declares exactly the schemas torchvision's library registers."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("torchvision")
    if not hasattr(torch.ops.torchvision, "nms"):
        pytest.skip("this torchvision's compiled operators are not loaded")
    namespace: dict = {}
    source = (PACKAGING / "hooks" / "rthook_torchvision_cpu.py").read_text(encoding="utf-8")
    schemas_src = source[source.index("_SCHEMAS = (") : source.index("\n)\n") + 3]
    exec(schemas_src, namespace)
    for schema in namespace["_SCHEMAS"]:
        name = schema.split("(", 1)[0]
        real = [str(s) for s in torch._C._jit_get_schemas_for_operator(f"torchvision::{name}")]
        assert f"torchvision::{schema}" in real, f"{name}: hook {schema!r}, library {real}"
