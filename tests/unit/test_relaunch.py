"""Starting the program again works frozen (a PyInstaller bundle) as from a venv, the startup
baseline is a hidden subcommand, and resources are found from a zip too."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from panel import cli, paths
from panel.relaunch import STARTUP_BASELINE, program_argv

ROOT = Path(__file__).parents[2]


def test_program_argv_runs_the_package_from_a_venv() -> None:
    assert program_argv("server", "--port", "0") == [
        sys.executable,
        *("-m", "panel", "server", "--port", "0"),
    ]


def test_program_argv_runs_the_executable_itself_when_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    exe = tmp_path / "mfp-panel"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert program_argv("bench", "startup") == [str(exe), "bench", "startup"]


def test_the_printed_command_when_frozen_is_the_name_path_finds_else_the_full_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "opt" / "mfp-panel"
    bundle.mkdir(parents=True)
    exe = bundle / "mfp-panel"
    exe.write_text("")
    exe.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert cli.program() == str(exe)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mfp-panel").symlink_to(exe)  # as the .deb installs /usr/bin/mfp-panel
    monkeypatch.setenv("PATH", str(bin_dir))
    assert cli.program() == "mfp-panel"


@pytest.mark.timeout(60)
def test_the_startup_baseline_is_a_hidden_subcommand() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        program_argv(STARTUP_BASELINE), env=env, capture_output=True, text=True, timeout=50
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("PAINTED ")
    usage = subprocess.run(program_argv("--help"), capture_output=True, text=True, timeout=50)
    assert STARTUP_BASELINE not in usage.stdout


def test_resources_are_found_in_a_checkout() -> None:
    assert (paths.resources_dir() / "style" / "panel.qss").is_file()


@pytest.mark.timeout(60)
def test_resources_are_found_when_the_package_is_imported_from_a_zip(tmp_path: Path) -> None:
    """A zipapp: the resources are copied out once, to a folder named after their content."""
    archive = tmp_path / "panel.pyz"
    with zipfile.ZipFile(archive, "w") as pyz:
        for name in ("__init__.py", "paths.py"):
            pyz.write(ROOT / "panel" / name, f"panel/{name}")
        for path in (ROOT / "resources").rglob("*"):
            if path.is_file():
                pyz.write(path, f"panel/resources/{path.relative_to(ROOT / 'resources')}")
    script = "import panel.paths as p; print(p.__file__); print(p.resources_dir())"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    for _ in range(2):  # the second process finds the first one's copy
        done = subprocess.run(
            [
                sys.executable,
                "-I",
                "-c",
                f"import sys; sys.path[:0] = [{str(archive)!r}]; {script}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=50,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        module, where = done.stdout.split()
        assert module.startswith(str(archive))
        found = Path(where)
        assert found.parent == tmp_path / "cache" / "mfp-panel"
        qss = found / "style" / "panel.qss"
        assert qss.read_bytes() == (ROOT / "resources" / "style" / "panel.qss").read_bytes()
    assert len(list((tmp_path / "cache" / "mfp-panel").iterdir())) == 1
