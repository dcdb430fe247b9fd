"""Every file archlib writes goes through this module.

Into the output folder (:func:`write_into`, :func:`remove_from`): each path is walked from the
folder one component at a time with ``O_NOFOLLOW``, so a symbolic link planted below the
folder is refused (:class:`UnsafePathError`) and nothing is written, or deleted, outside it;
a FIFO, device, socket or folder where a file should go is never replaced; only regular
files are ever deleted.

Every write (:func:`write_into`, :func:`write_file`) goes to a temporary file in the target's
folder, is flushed to disk, takes the mode (and, for root, the owner) of the file it
replaces, and is renamed over it: a reader or a killed run never sees half a file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["UnsafePathError", "prepare_folder", "remove_from", "remove_temporaries",
           "write_file", "write_into"]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_TMP_SUFFIX = ".tmp"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: New files get 0666 minus the umask, like any file a shell creates (mkstemp would
#: give 0600; reports are for sharing).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


class UnsafePathError(OSError):
    """A path archlib will not write through: a symbolic link below the output folder, or a
    FIFO, device, socket or folder where a file should be. ``str()`` is the reason."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(errno.EPERM, f"{where}: {problem}")

    def __str__(self) -> str:
        return str(self.strerror)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
                       (stat.S_ISREG, "a file"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"  # (a door, a whiteout: not on Linux)


def _parts(relative: str) -> list[str]:
    parts = relative.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise UnsafePathError(relative, "not a plain relative path")
    return parts


def _open_below(folder: Path, parts: list[str], *, create: bool) -> int:
    """A descriptor of ``folder/parts...``, each part a real folder (created if ``create``),
    never a symbolic link. (``folder`` itself may be one: the user chose it.)"""
    fd = os.open(folder, _DIR_FLAGS)
    try:
        for i, part in enumerate(parts):
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
            try:
                child = os.open(part, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as error:
                if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                    raise
                mode = os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode
                raise UnsafePathError("/".join(parts[:i + 1]), f"is {_kind(mode)}, not a "
                                      "folder archlib made; not written through") from None
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


def _lstat_at(dir_fd: int, name: str) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _same_content(dir_fd: int, name: str, payload: bytes) -> bool:
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(len(payload) + 1) == payload


def _replace_at(dir_fd: int, name: str, payload: bytes, where: str,
                *, skip_if_same: bool = False) -> None:
    """Write ``payload`` as ``name`` in the folder ``dir_fd``: temporary file, fsync, the old
    file's mode and owner, rename. A symbolic link there is replaced, never followed."""
    old = _lstat_at(dir_fd, name)
    if old is not None and not (stat.S_ISREG(old.st_mode) or stat.S_ISLNK(old.st_mode)):
        raise UnsafePathError(where, f"is {_kind(old.st_mode)}; not replaced")
    regular = old if old is not None and stat.S_ISREG(old.st_mode) else None
    if (skip_if_same and regular is not None and regular.st_size == len(payload)
            and _same_content(dir_fd, name, payload)):
        return
    tmp = f".{name[:200]}.{secrets.token_hex(4)}{_TMP_SUFFIX}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o600, dir_fd=dir_fd)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fchmod(handle.fileno(), _NEW_FILE_MODE if regular is None
                      else stat.S_IMODE(regular.st_mode))
            if regular is not None and os.geteuid() == 0:  # keep whose file it is
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), regular.st_uid, regular.st_gid)
            os.fsync(handle.fileno())
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=dir_fd)
        raise
    with contextlib.suppress(OSError):  # the rename itself, on disk (not every FS can)
        os.fsync(dir_fd)


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def prepare_folder(folder: Path) -> None:
    """Make ``folder`` (and its parents) and check a file can be created in it; raises
    :class:`OSError` (e.g. a file is there, a read-only file system)."""
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, _DIR_FLAGS)
    try:
        probe = f".archlib-probe-{secrets.token_hex(4)}{_TMP_SUFFIX}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                         0o600, dir_fd=fd))
        os.unlink(probe, dir_fd=fd)
    finally:
        os.close(fd)


def write_into(folder: Path, relative: str, data: str | bytes, *,
               skip_if_same: bool = False) -> None:
    """Write ``folder/relative`` (``relative`` uses ``/``), creating its folders; refuses a
    symbolic link or a non-folder on the way and a non-regular file at the end
    (:class:`UnsafePathError`). ``skip_if_same`` leaves an identical file untouched."""
    *parents, name = _parts(relative)
    fd = _open_below(folder, parents, create=True)
    try:
        _replace_at(fd, name, _payload(data), relative, skip_if_same=skip_if_same)
    finally:
        os.close(fd)


def remove_from(folder: Path, relative: str) -> None:
    """Delete ``folder/relative`` if it is a regular file reached without a symbolic link;
    anything else (missing, a link, a FIFO, a link on the way) is left alone."""
    *parents, name = _parts(relative)
    try:
        fd = _open_below(folder, parents, create=False)
    except (FileNotFoundError, NotADirectoryError, UnsafePathError):
        return
    try:
        found = _lstat_at(fd, name)
        if found is not None and stat.S_ISREG(found.st_mode):
            os.unlink(name, dir_fd=fd)
    finally:
        os.close(fd)


def remove_temporaries(folder: Path, relative: str) -> None:
    """Delete the temporary files a killed writer of ``folder/relative`` left behind."""
    *parents, name = _parts(relative)
    try:
        fd = _open_below(folder, parents, create=False)
    except (FileNotFoundError, NotADirectoryError, UnsafePathError):
        return
    try:
        prefix = f".{name[:200]}."
        for entry in os.listdir(fd):
            if entry.startswith(prefix) and entry.endswith(_TMP_SUFFIX):
                found = _lstat_at(fd, entry)
                if found is not None and stat.S_ISREG(found.st_mode):
                    os.unlink(entry, dir_fd=fd)
    finally:
        os.close(fd)


def write_file(path: Path, data: str | bytes) -> None:
    """Write a file the user named (``archlib adr --out``). A symbolic link is followed to
    the file it names (which is replaced as above); a FIFO or character device
    (``/dev/stdout``, ``/dev/null``) is written straight through, never replaced; a folder,
    block device or socket is refused (:class:`UnsafePathError`)."""
    payload = _payload(data)
    real = Path(os.path.realpath(path))
    found = None
    with contextlib.suppress(FileNotFoundError):
        found = os.stat(path)
    if found is not None and (stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode)):
        with open(path, "wb") as stream:  # truncating a FIFO or device does nothing
            stream.write(payload)
        return
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise UnsafePathError(str(path), f"is {_kind(found.st_mode)}; not replaced")
    real.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(real.parent, _DIR_FLAGS)
    try:
        _replace_at(fd, real.name, payload, str(path))
    finally:
        os.close(fd)
