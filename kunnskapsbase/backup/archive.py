"""One backup archive holding a consistent copy of the database and the media files.

Layout of the ``.tar.gz``::

    kunnskapsbase-backup/manifest.json     format, engine, time, counts
    kunnskapsbase-backup/database.sqlite3  SQLite: made with SQLite's online backup API
    kunnskapsbase-backup/database.pgdump   PostgreSQL: pg_dump's custom format
    kunnskapsbase-backup/media/…           everything under MEDIA_ROOT

The database is copied first and the media files after it: an upload writes its file before
its database row, so every file the copied database refers to is in the archive.
The search index is not in the archive: the database search backend's tables are part of the
database, and an Elasticsearch index is rebuilt from it (``search_reindex``).
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = "kunnskapsbase-backup"
FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator (Norwegian)."""


def engine():
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Databasetypen «{vendor}» støttes ikke (bare SQLite og PostgreSQL).")
    return vendor


def media_root():
    return Path(settings.MEDIA_ROOT)


def media_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_environment():
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def pg_tool(name):
    """pg_dump/pg_restore on PATH, else the newest from Debian's postgresql packages."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise BackupError(f"Fant ikke {name}. Installer PostgreSQL-klienten (apt-get install postgresql-client).")
    return str(candidates[-1])


def run_pg(args):
    result = subprocess.run(args, env=pg_environment(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} feilet: {result.stderr.strip()}")


# --- Database copy ------------------------------------------------------------------------------


def dump_database(target):
    """Write a consistent copy of the database to ``target``."""
    if engine() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        run_pg([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def load_database(source):
    """Replace the database's whole content with the copy in ``source``."""
    if engine() == "sqlite":
        connection.ensure_connection()
        source_db = sqlite3.connect(source)
        try:
            source_db.backup(connection.connection)
        finally:
            source_db.close()
    else:
        connection.close()
        run_pg(
            [
                pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
    connection.close()


# --- Archive ------------------------------------------------------------------------------------


def write_archive(destination, manifest, dump_path, files, root, progress):
    """Write the archive next to ``destination`` and move it into place when complete."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".backup-", suffix=".tar.gz.part", dir=destination.parent)
    os.close(handle)
    try:
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(f"{ROOT}/manifest.json")
            info.size = len(data)
            tar.addfile(info, fileobj=io.BytesIO(data))
            tar.add(dump_path, arcname=f"{ROOT}/{DUMP_NAMES[manifest['engine']]}")
            for done, path in enumerate(files, start=1):
                tar.add(path, arcname=f"{ROOT}/media/{path.relative_to(root).as_posix()}")
                progress(done, len(files))
        os.replace(partial, destination)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    destination.chmod(0o600)  # the database holds password hashes and unpublished drafts


def read_archive(path, into):
    """Unpack ``path`` into the directory ``into`` (safely) and return its manifest."""
    try:
        with tarfile.open(path, "r:*") as tar:
            tar.extractall(into, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Kan ikke lese arkivet {path}: {error}") from None
    manifest_path = Path(into) / ROOT / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{path} er ikke en sikkerhetskopi fra kunnskapsbasen (mangler manifest.json).") from None
    if manifest.get("format") != FORMAT or manifest.get("engine") not in DUMP_NAMES:
        raise BackupError(f"{path} har et ukjent format: {manifest.get('format')!r}.")
    return manifest
