"""Backups and restores of the portal's database (``portal-backup``, ``portal-restore``).

A backup folder holds, by the UTC second each backup was taken (``YYYY-MM-DD-HH-MM-SS``):

- ``filestorage/``: repozo's full (``.fs``) and incremental (``.deltafs``) copies of ``Data.fs``, and
  ``blobs/<stamp>/``: the whole blob folder as it was then (files unchanged since the previous backup are
  hard links to it, so an incremental backup costs only the new attachments);
- ``postgresql/<stamp>.dump``: ``pg_dump`` of the database in PostgreSQL's custom format, blobs included
  (RelStorage keeps them in the database), and ``postgresql/<stamp>-blobs/`` only for a shared blob folder.

A FileStorage is backed up while the portal runs (repozo reads up to the last complete transaction);
a restore needs the portal stopped, and keeps what it replaces beside it (``….replaced-<stamp>``).
"""

import os
import re
import shutil
import time
from pathlib import Path

from ZODB.scripts import repozo

from portal import postgresql

STAMP = re.compile(r"^\d{4}(?:-\d\d){5}$")
DATA_FILE = re.compile(r"^(\d{4}(?:-\d\d){5})\.(?:delta)?fsz?$")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why. (PostgreSQL's own failures are
    ``portal.postgresql.PostgreSQLError``.)"""


def utc_stamp(when=None):
    return time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime(when))


def _next_free_second(existing):
    """Wait until the current UTC second is later than every stamp in ``existing`` (repozo names files
    by the second and refuses to overwrite one)."""
    newest = max(existing, default="")
    while utc_stamp() <= newest:
        time.sleep(0.1)


# -- FileStorage ----------------------------------------------------------------------------


def _data_stamps(repository):
    return sorted(m.group(1) for m in (DATA_FILE.match(p.name) for p in repository.iterdir()) if m)


def backup_filestorage(address, destination, full=False):
    """repozo backup of ``Data.fs`` (incremental unless ``full`` or none is possible), then a snapshot of
    the blob folder under the same stamp. Returns ``(stamp, kind)``, or ``(None, None)`` when nothing
    changed since the last backup."""
    if not address.data_fs.exists():
        raise BackupError(f"there is no database at {address.data_fs}")
    repository = Path(destination) / "filestorage"
    repository.mkdir(parents=True, exist_ok=True)
    before = _data_stamps(repository)
    _next_free_second(before)
    _repozo(["-B", "-r", str(repository), "-f", str(address.data_fs)] + (["-F"] if full else []))
    after = _data_stamps(repository)
    if after == before:
        return None, None
    stamp = after[-1]
    kind = "full" if (repository / f"{stamp}.fs").exists() else "incremental"
    if address.blob_dir is not None and address.blob_dir.exists():
        snapshot_folder(address.blob_dir, Path(destination) / "blobs", stamp)
    return stamp, kind


def restore_filestorage(address, source, date=None):
    """Recover ``Data.fs`` (as of ``date``, ``YYYY-MM-DD[-HH[-MM[-SS]]]`` UTC, else the newest backup) and
    the blob folder of the same backup; the files replaced are kept beside them. Returns the stamp."""
    repository = Path(source) / "filestorage"
    if not repository.is_dir():
        raise BackupError(f"{source} holds no FileStorage backup (no filestorage/ folder)")
    stamps = [s for s in _data_stamps(repository) if date is None or s <= _full_stamp(date)]
    if not stamps:
        raise BackupError(f"{source} holds no backup" + (f" taken at or before {date}" if date else ""))
    stamp = stamps[-1]
    data_fs = address.data_fs
    data_fs.parent.mkdir(parents=True, exist_ok=True)
    for extension in ("", ".index", ".tmp", ".lock"):
        set_aside(Path(str(data_fs) + extension))
    _repozo(["-R", "-r", str(repository), "-o", str(data_fs)] + (["-D", stamp]))
    if address.blob_dir is not None:
        snapshots = Path(source) / "blobs"
        candidates = sorted(p.name for p in snapshots.iterdir() if STAMP.match(p.name) and p.name <= stamp) if snapshots.is_dir() else []
        set_aside(address.blob_dir)
        if candidates:
            shutil.copytree(snapshots / candidates[-1], address.blob_dir, symlinks=False)
        else:
            address.blob_dir.mkdir(parents=True)
    return stamp


def set_aside(path):
    """Rename ``path`` (if it exists) to ``<path>.replaced-<UTC time>``, never over an earlier one."""
    if not path.exists():
        return None
    base = f"{path}.replaced-{utc_stamp()}"
    target, n = Path(base), 1
    while target.exists():
        n += 1
        target = Path(f"{base}-{n}")
    path.rename(target)
    return target


def _full_stamp(date):
    """``YYYY-MM-DD[-HH[-MM[-SS]]]`` completed to the last second it stands for."""
    parts = date.split("-")
    if len(parts) < 3 or not all(p.isdigit() for p in parts):
        raise BackupError(f"not a date: {date!r} (expected YYYY-MM-DD[-HH[-MM[-SS]]], UTC)")
    return "-".join(parts + ["23", "59", "59"][len(parts) - 3:])


def _repozo(argv):
    try:
        repozo.main(argv + ["-Q"] if "-B" in argv else argv)
    except SystemExit as exc:  # repozo reports its errors by exiting
        if exc.code not in (None, 0):
            raise BackupError(f"repozo: {exc.code}") from None


def snapshot_folder(source, snapshots, stamp):
    """Copy ``source`` to ``snapshots/<stamp>``; a file also in the previous snapshot with the same size
    and time is a hard link to it (ZODB never changes a blob file: a new revision is a new file)."""
    snapshots.mkdir(parents=True, exist_ok=True)
    previous = sorted(p for p in snapshots.iterdir() if STAMP.match(p.name) and p.name < stamp)
    previous = previous[-1] if previous else None
    target = snapshots / stamp
    partial = snapshots / f".{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    for folder, dirs, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        dirs[:] = [d for d in dirs if not (relative == Path(".") and d == "tmp")]  # uncommitted uploads
        (partial / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            origin = Path(folder) / name
            copy = partial / relative / name
            earlier = previous / relative / name if previous else None
            stat = origin.stat()
            if earlier is not None and earlier.exists() and earlier.stat().st_size == stat.st_size and \
                    int(earlier.stat().st_mtime) == int(stat.st_mtime):
                os.link(earlier, copy)
            else:
                shutil.copy2(origin, copy)
    partial.rename(target)
    return target


# -- PostgreSQL (RelStorage) ----------------------------------------------------------------


def backup_postgresql(address, destination):
    """``pg_dump`` of the whole database (blobs included); the shared blob folder too if there is one.
    Returns the stamp."""
    folder = Path(destination) / "postgresql"
    folder.mkdir(parents=True, exist_ok=True)
    existing = [p.name.split(".")[0] for p in folder.glob("*.dump")]
    _next_free_second(existing)
    stamp = utc_stamp()
    partial = folder / f".{stamp}.dump.partial"
    postgresql.run("pg_dump", address, ["--format=custom", "--no-owner", f"--file={partial}"])
    partial.rename(folder / f"{stamp}.dump")
    if address.shared_blobs and address.blob_dir is not None and address.blob_dir.exists():
        snapshot_folder(address.blob_dir, folder / "blobs", stamp)
    return stamp


def restore_postgresql(address, source, date=None):
    """Restore the newest dump (at or before ``date``) into a new database, then give it the configured
    database's name; the database it replaces is kept under ``<name>_replaced_<stamp>``. Returns
    ``(stamp, name of the kept database)``."""
    folder = Path(source) / "postgresql"
    dumps = sorted(p.name.split(".")[0] for p in folder.glob("*.dump")) if folder.is_dir() else []
    dumps = [s for s in dumps if date is None or s <= _full_stamp(date)]
    if not dumps:
        raise BackupError(f"{source} holds no PostgreSQL backup" + (f" taken at or before {date}" if date else ""))
    stamp = dumps[-1]
    name = address.postgresql["dbname"]
    suffix = utc_stamp().replace("-", "")
    restoring, kept = f"{name}_restoring_{suffix}", f"{name}_replaced_{suffix}"
    postgresql.create_database(address, restoring)
    try:
        postgresql.run("pg_restore", address, ["--no-owner", "--exit-on-error", "--single-transaction",
                                               f"--dbname={restoring}", str(folder / f"{stamp}.dump")],
                       dbname=restoring)
    except Exception:
        postgresql.drop_database(address, restoring)
        raise
    postgresql.swap_databases(address, restoring, kept)
    if address.shared_blobs and address.blob_dir is not None:
        snapshots = folder / "blobs"
        if (snapshots / stamp).is_dir():
            set_aside(address.blob_dir)
            shutil.copytree(snapshots / stamp, address.blob_dir)
    return stamp, kept
