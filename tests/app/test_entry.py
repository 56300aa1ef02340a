"""Starting the window: clear messages instead of Qt's abort when it cannot open one."""

from __future__ import annotations

import ctypes
import sys

import pytest

from ganlab.app import main as app_main
from ganlab.cli import main as cli_main
from ganlab.kernel.errors import GanlabError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 check")


@linux_only
def test_no_display_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    with pytest.raises(GanlabError, match="DISPLAY is not set"):
        app_main.check_display()


@linux_only
def test_missing_xcb_libraries_name_the_packages_to_install(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    real_cdll = ctypes.CDLL

    def cdll(name, *args, **kwargs):
        if name == "libxcb-icccm.so.4":
            raise OSError(f"{name}: cannot open shared object file")
        return real_cdll(name, *args, **kwargs)

    monkeypatch.setattr(app_main.ctypes, "CDLL", cdll)
    monkeypatch.setattr(app_main, "XCB_LIBRARIES", {"libxcb-icccm.so.4": "libxcb-icccm4"})
    with pytest.raises(GanlabError, match="apt-get install libxcb-icccm4"):
        app_main.check_display()


def test_offscreen_platform_needs_no_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    app_main.check_display()  # no exception: Qt draws into memory


@linux_only
def test_ganlab_without_a_display_exits_2_with_the_message(monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    with pytest.raises(SystemExit) as info:
        cli_main([])
    assert info.value.code == 2
    assert "ganlab train" in " ".join(capsys.readouterr().err.split())


@linux_only
def test_a_frozen_lab_finds_its_bundled_xcb_libraries(monkeypatch, tmp_path):
    """The packaged lab carries libxcb-cursor & co.; the system need not have them."""
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    bundled = tmp_path / "libxcb-icccm.so.4"
    bundled.write_bytes(b"")
    loaded = []

    def cdll(name, *args, **kwargs):
        loaded.append(name)
        if name != str(bundled):
            raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(app_main.ctypes, "CDLL", cdll)
    monkeypatch.setattr(app_main, "XCB_LIBRARIES", {"libxcb-icccm.so.4": "libxcb-icccm4"})
    monkeypatch.setattr(app_main.sys, "_MEIPASS", str(tmp_path), raising=False)
    app_main.check_display()  # no exception: the bundle's copy loads
    assert loaded == [str(bundled)]
    monkeypatch.setattr(app_main.sys, "_MEIPASS", str(tmp_path / "elsewhere"))
    with pytest.raises(GanlabError, match="libxcb-icccm4"):
        app_main.check_display()
