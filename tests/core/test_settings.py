"""Production mode refuses to start without a secret and passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MOVILIM_", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"))
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deployment_checks_without_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k3y-" + "q8Zr1vT0pLm2NwXs9YbC4dEf6GhJ7kA5" * 2,
        ALLOWED_HOSTS="movilim.example.gov.il",
        DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_urls_come_from_the_manifest_and_are_remembered(tmp_path, settings) -> None:
    import json

    from movilim.core.storage import StaticStorage

    settings.DEBUG = False
    manifest = {"version": "1.1", "paths": {"core/site.css": "core/site.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("core/site.css") == "/static/core/site.0123abcd.css"
    storage.hashed_files.clear()  # a second answer comes from memory, not the manifest
    assert storage.url("core/site.css") == "/static/core/site.0123abcd.css"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("core/missing.css")
