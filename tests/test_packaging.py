"""The built wheel carries the templates, static files and catalogs, and serves from elsewhere."""

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from tests.conftest import ROOT, Server


def test_the_wheel_serves_every_page_from_another_directory(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = list((tmp_path / "dist").glob("showcase-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for inside in (
        "showcase/templates/base.html",
        "showcase/templates/public/home.html",
        "showcase/templates/_partials/standings.html",
        "showcase/static/showcase.css",
        "showcase/static/favicon.svg",
        "showcase/locales/ko/LC_MESSAGES/messages.po",
        "scoring/__init__.py",
    ):
        assert inside in names, f"the wheel lacks {inside}"
    assert any(n.endswith("entry_points.txt") for n in names)

    target = tmp_path / "site"
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import showcase; print(showcase.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    init = subprocess.run(
        [sys.executable, "-m", "showcase.cli", "init", "x.db", "--demo"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert init.returncode == 0, init.stderr

    server = Server(elsewhere / "x.db")
    server.command = [sys.executable, "-m", "showcase.cli"]
    server.cwd, server.env = elsewhere, env
    with server:
        for path in (
            "/",
            "/entries/H01",
            "/leaderboard",
            "/admin",
            "/api/entries",
            "/static/showcase.css",
        ):
            with urllib.request.urlopen(server.url + path, timeout=5) as answer:
                assert answer.status == 200, path
        with urllib.request.urlopen(server.url + "/", timeout=5) as answer:
            assert "/static/showcase.css" in answer.read().decode()
