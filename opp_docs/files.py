"""Safe file names and atomic writes for everything the pipeline puts in the output folder."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from opp_docs.errors import (
    DiskFullError,
    FileSystemError,
    InTheWayError,
    NoAccessError,
    OppDocsError,
    OutputLinkError,
)

# Characters Windows and OneDrive refuse in names, plus control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_NAME = 80
# The folder in a school year's output with one folder per student, named after the student
# ("123456 Vries, Sanne"); so are the files in it.
STUDENTS_DIR = "leerlingen"


def safe_name(text: str, max_length: int = MAX_NAME, *, suffix: str = "") -> str:
    """A file or folder name that every system a school uses accepts: `text` made safe and
    cut so that `suffix` (say " (nieuwe versie).docx") still fits whole behind it."""
    name = unicodedata.normalize("NFC", text)
    name = " ".join(name.split())
    name = _FORBIDDEN.sub("_", name)
    name = name[: max(1, max_length - len(suffix))].rstrip(" .")
    if not name:
        name = "_"
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = "_" + name
    return name + suffix


@contextmanager
def private_files() -> Iterator[None]:
    """Everything made inside the block is readable by its owner only: these are records of
    children. Every entry point that writes output runs in one, whoever calls it."""
    before = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(before)


def inside(root: Path, path: Path) -> Path:
    """Return `path`, refusing any path that would leave the output folder."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        # Name the link itself, which may be a folder above `path`, and the highest such one.
        below = [p for p in (path, *path.parents) if p != root and p.is_relative_to(root)]
        links = [p for p in below if p.is_symlink()]
        raise OutputLinkError(place=shown_path(links[-1] if links else path))
    return path


def shown_path(path: str | os.PathLike[str]) -> str:
    """`path` as the terminal may show it: from a student's folder on, which is named after
    the student, only the student number."""
    parts = Path(path).parts
    # The last one: the output folder itself may lie in a folder of that name.
    at = max((i for i, part in enumerate(parts[:-1]) if part == STUDENTS_DIR), default=None)
    if at is None:
        return str(path)
    folder = Path(*parts[: at + 1])
    number = re.match(r"\d+", parts[at + 1])
    if number is None:
        return f"een map in {folder}"
    return f"de map van leerling {number.group()} in {folder}"


def text_digest(text: str) -> str:
    """The sha256 of `text`: what a run compares to see that something it made from changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; it replaces `target` only when the block ends
    without error, so a crash never leaves a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def explain_os_error(e: OSError) -> OppDocsError:
    """What the user must know of a failed system call: what to do, the place without names."""
    if not isinstance(e.filename, str | os.PathLike):
        path = None
        place = "een bestand of map"
    else:
        path = Path(e.filename)
        place = shown_path(path)
    code = e.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        # A file that could not be made: its folder is where the user must give access.
        return NoAccessError(place=shown_path(_nearest(path, os.path.lexists)) if path else place)
    if code in (errno.ENOSPC, errno.EDQUOT):
        # The folder: the file that did not fit is a temporary one.
        return DiskFullError(place=shown_path(path.parent) if path else place)
    if code in (errno.ENOTDIR, errno.EEXIST) and path is not None:
        in_the_way = _nearest(path, lambda p: os.path.lexists(p) and not os.path.isdir(p))
        return InTheWayError(place=shown_path(in_the_way))
    if code == errno.EISDIR:
        return InTheWayError(place=place, folder_needed=False)
    if code == errno.ELOOP:
        return OutputLinkError(place=place)
    return FileSystemError(place=place, code=errno.errorcode.get(code or 0, "onbekend"))


def _nearest(path: Path, found: Callable[[str], bool]) -> Path:
    """`path` or the nearest folder above it for which `found` holds; else `path`."""
    return next((p for p in (path, *path.parents) if found(str(p))), path)
