"""The product as it ships: the wheel carries every module and file of the source tree, builds
without deprecation warnings, and serves every page from a clean virtual environment."""

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from tests.conftest import ROOT, Server

SHIPPED = ("*.py", "*.html", "*.css", "*.js", "*.svg", "*.po")


def source_files() -> set[str]:
    """Every file of the two packages that the product needs at run time."""
    found = set()
    for package in ("showcase", "scoring"):
        for pattern in SHIPPED:
            for path in (ROOT / package).rglob(pattern):
                if "__pycache__" not in path.parts:
                    found.add(path.relative_to(ROOT).as_posix())
    return found


def run(*command: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, timeout=600, **kwargs
    )  # type: ignore[call-overload]


def test_the_wheel_installs_in_a_clean_venv_and_serves_every_page(tmp_path: Path) -> None:
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp_path / "dist", ROOT)
    assert built.returncode == 0, built.stderr
    assert "deprecat" not in (built.stdout + built.stderr).lower(), built.stderr
    assert "BuildBackendWarning" not in built.stderr, built.stderr
    [wheel] = list((tmp_path / "dist").glob("showcase-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = source_files() - names
    assert not missing, f"the wheel lacks {sorted(missing)}"
    assert "showcase/store/sheets.py" in names and "showcase/templates/base.html" in names
    assert any(n.endswith("entry_points.txt") for n in names)

    venv = tmp_path / "venv"
    assert run(sys.executable, "-m", "venv", venv).returncode == 0
    python, showcase = venv / "bin" / "python", venv / "bin" / "showcase"
    installed = run(python, "-m", "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr
    assert "deprecat" not in installed.stderr.lower(), installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = run(
        python,
        "-c",
        "import sys, showcase, scoring; print(showcase.__file__); print(scoring.__file__); "
        "print(*sys.path, sep='\\n')",
        cwd=elsewhere,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    lines = where.stdout.splitlines()
    assert all(line.startswith(str(venv)) for line in lines[:2]), lines[:2]
    assert not any(str(ROOT) in line for line in lines[2:]), "the checkout leaks onto the path"
    init = run(showcase, "init", "x.db", "--demo", cwd=elsewhere, env=env)
    assert init.returncode == 0, init.stderr
    methods = run(showcase, "methods", env=env)
    assert methods.returncode == 0 and "calibrated" in methods.stdout  # the entry points ship

    server = Server(elsewhere / "x.db")
    server.command = [str(showcase)]
    server.cwd, server.env = elsewhere, {**env, "SHOWCASE_BASE_URL": ""}
    with server:
        for path in (
            "/",
            "/entries/H01",
            "/leaderboard",
            "/leaderboard?view=projector",
            "/admin",
            "/api/entries",
            "/api/leaderboard",
            "/static/showcase.css",
            "/static/board.js",
        ):
            with urllib.request.urlopen(server.url + path, timeout=5) as answer:
                assert answer.status == 200, path
        with urllib.request.urlopen(server.url + "/?lang=ko", timeout=5) as answer:
            assert "/static/showcase.css" in answer.read().decode()
