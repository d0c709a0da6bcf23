"""Safe file names and atomic writes for everything the pipeline puts in the output folder."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opp_docs.errors import OutputLinkError

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


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


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
