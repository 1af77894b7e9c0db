"""Backup and restore (`manage.py backup` / `manage.py restore`): a site with pages, revisions
(a draft among them), taxonomies, users, images with renditions and documents is backed up into
one archive, wiped, restored into the empty installation, and compared field by field and file
by file. On SQLite always; on PostgreSQL too when DATABASE_URL points at PostgreSQL.

Each site lives in its own database and media folder, driven through subprocesses, so the
suite's own test database is never touched."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
MANAGE = str(BASE_DIR / "manage.py")
POSTGRES_URL = os.environ.get("DATABASE_URL", "") if os.environ.get("DATABASE_URL", "").startswith("postgres") else ""


class Installation:
    """One installation: a database (SQLite file or PostgreSQL database) and a media folder."""

    def __init__(self, tmp_path, engine):
        self.engine = engine
        self.media = tmp_path / "media"
        if engine == "sqlite":
            self.url = f"sqlite:///{tmp_path / 'kunnskapsbase.sqlite3'}"
        else:
            parts = urlsplit(POSTGRES_URL)
            self.dbname = f"{parts.path.lstrip('/')}_backup_{os.getpid()}"
            self.url = urlunsplit(parts._replace(path=f"/{self.dbname}"))
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))

    def env(self):
        env = {key: value for key, value in os.environ.items() if key not in ("ADMIN_PASSWORD", "ELASTICSEARCH_URL")}
        env.update(
            DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.base",
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media),
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def run(self, *args, check=True):
        result = subprocess.run(
            [sys.executable, *args], cwd=BASE_DIR, env=self.env(), capture_output=True, text=True, timeout=600
        )
        if check:
            assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result

    def manage(self, *args, check=True):
        return self.run(MANAGE, *args, check=check)

    def snapshot(self):
        return json.loads(self.run("-m", "tests.backup_scenario", "snapshot").stdout)

    def create_empty(self):
        self.media.mkdir(parents=True, exist_ok=True)
        if self.engine == "postgresql":
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.dbname}"', f'CREATE DATABASE "{self.dbname}"')

    def wipe(self):
        shutil.rmtree(self.media, ignore_errors=True)
        if self.engine == "sqlite":
            Path(urlsplit(self.url).path).unlink()
        self.create_empty()

    def drop(self):
        if self.engine == "postgresql":
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.dbname}"')

    def _admin_sql(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request, tmp_path):
    if request.param == "postgresql" and not POSTGRES_URL:
        pytest.skip("PostgreSQL-varianten kjører når DATABASE_URL peker på PostgreSQL")
    site = Installation(tmp_path, request.param)
    site.create_empty()
    yield site
    site.drop()


def test_backup_wipe_restore_gives_back_the_same_site(installation, tmp_path):
    installation.run("-m", "tests.backup_scenario", "populate")
    before = installation.snapshot()
    assert len(before["pages"]) >= 10 and len(before["revisions"]) >= 6
    assert any("(utkast)" in content for *_, content in before["revisions"])  # the draft
    assert before["images"] and before["documents"] and len(before["files"]) >= 3
    assert all(before["taxonomies"].values())

    archive = tmp_path / "kopi.tar.gz"
    made = installation.manage("backup", "--output", str(archive))
    assert "Sikkerhetskopi lagret i" in made.stdout and "1 bilder, 1 dokumenter" in made.stdout
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "kunnskapsbase-backup/manifest.json" in names
    assert sum(name.startswith("kunnskapsbase-backup/media/") for name in names) == len(before["files"])
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    # Restoring over a site that has content is refused and changes nothing.
    refused = installation.manage("restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "Databasen har allerede innhold" in refused.stderr
    assert installation.snapshot() == before

    installation.wipe()
    assert not list(installation.media.iterdir())
    restored = installation.manage("restore", str(archive))
    assert "Gjenopprettet fra" in restored.stdout
    assert installation.snapshot() == before

    # --force replaces content: restoring again gives the same site, nothing doubled.
    installation.manage("restore", "--force", str(archive))
    assert installation.snapshot() == before


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path):
    site = Installation(tmp_path, "sqlite")
    site.create_empty()
    not_a_backup = tmp_path / "bilde.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as tar:
        tar.add(__file__, arcname="noe/annet.py")
    refused = site.manage("restore", str(not_a_backup), check=False)
    assert refused.returncode != 0
    assert "er ikke en sikkerhetskopi fra kunnskapsbasen" in refused.stderr
    missing = site.manage("restore", str(tmp_path / "finnes-ikke.tar.gz"), check=False)
    assert "Fant ikke arkivet" in missing.stderr
