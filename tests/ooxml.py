"""Is a Word file one that Word opens without a repair prompt? Checked as Word checks it.

Two checks:
- Microsoft's Open XML SDK validator (DocumentFormat.OpenXml 2.8.1, schema of Office 2013): the
  order and number of child elements, attribute values, relationships. Word repairs what it
  rejects; Word for the web may open such a file read-only.
- What the SDK lets through but Word does not: a table cell that does not end in a paragraph.

The SDK and a .NET 8 runtime come in the PyPI wheel python-redlines-ooxmlpowertools (a dev
extra). Its own program is a redline tool, so our driver, tools/ooxml_validate.cs, is compiled
with Mono's mcs (Debian's mono-mcs, installed by tools/install-validator.sh from `make test`)
into a copy of that runtime under .cache/ (gitignored), once per driver and wheel version.
The runtime's launcher starts the program named redlines.dll beside it, so the driver takes
that name there.

Tests call `assert_valid_docx(*paths)`: one validator process for all files, since starting
.NET costs about half a second and a file a few hundredths. Without the validator such a test
skips, except in CI (CI=true), where it fails.

From the shell:  .venv/bin/python -m tests.ooxml FILE.docx...
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.resources
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
DRIVER = REPO / "tools" / "ooxml_validate.cs"
CACHE = REPO / ".cache" / "ooxml-validator"
WHEEL = "python-redlines-ooxmlpowertools"
RUNTIME = ("python_redlines_ooxmlpowertools", "_binaries", "linux-x64.tar.gz")
# The runtime's launcher; it runs redlines.dll from its own folder.
LAUNCHER = "redlines"
# What the driver's code refers to, from the runtime itself (it has no reference assemblies).
REFERENCES = (
    "System.Private.CoreLib",
    "System.Private.Uri",
    "System.Runtime",
    "netstandard",
    "System.IO",
    "System.IO.Packaging",
    "System.Console",
    "System.Collections",
    "System.Linq",
    "System.Xml.ReaderWriter",
    "DocumentFormat.OpenXml",
)
INSTALL_HINT = "make test installs it (tools/install-validator.sh, pip install -e '.[dev]')"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Markup that may follow a cell's last paragraph: it marks a place, it is no block of its own.
_RANGE_MARKS = frozenset(
    f"{{{W}}}{name}"
    for name in (
        "tcPr",
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "permStart",
        "permEnd",
        "proofErr",
    )
)

# The parts whose text can hold a table; parsing the others (styles.xml above all) costs time.
_STORIES = re.compile(
    r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments|glossary/document)\.xml"
)


class ValidatorMissing(Exception):
    """Raised when the SDK validator cannot be built here; says what to install."""


def validator_program() -> Path:
    """The validator's launcher, built into the cache first if needed."""
    try:
        version = importlib.metadata.version(WHEEL)
        runtime = importlib.resources.files(RUNTIME[0]).joinpath(*RUNTIME[1:])
    except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError) as e:
        raise ValidatorMissing(f"{WHEEL} is not installed; {INSTALL_HINT}") from e
    source = DRIVER.read_bytes()
    key = hashlib.sha256(source + version.encode()).hexdigest()[:16]
    folder = CACHE / key
    if (folder / LAUNCHER).exists():
        return folder / LAUNCHER
    mcs = shutil.which("mcs")
    if mcs is None:
        raise ValidatorMissing(f"Mono's C# compiler mcs is not installed; {INSTALL_HINT}")
    CACHE.mkdir(parents=True, exist_ok=True)
    # Built aside and moved in whole: an interrupted build leaves no half program in the cache.
    with tempfile.TemporaryDirectory(dir=CACHE, prefix=".build-") as tmp:
        build = Path(tmp) / key
        with importlib.resources.as_file(runtime) as archive, tarfile.open(archive) as tar:
            # The "data" filter (Python 3.11.4 on) keeps a bad archive inside the folder.
            if hasattr(tarfile, "data_filter"):
                tar.extractall(build, filter="data")
            else:
                tar.extractall(build)
        (build / f"{LAUNCHER}.pdb").unlink(missing_ok=True)  # the replaced program's symbols
        refs = [f"-r:{build / name}.dll" for name in REFERENCES]
        out = f"-out:{build / LAUNCHER}.dll"
        compiled = subprocess.run(
            [mcs, "-nologo", "-nostdlib", "-warnaserror+", *refs, out, str(DRIVER)],
            capture_output=True,
            text=True,
        )
        if compiled.returncode != 0:
            raise RuntimeError(
                f"mcs could not compile {DRIVER.name}:\n{compiled.stdout}{compiled.stderr}"
            )
        for old in CACHE.iterdir():
            if not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)  # an older driver's or wheel's: 80 MB
        try:
            build.rename(folder)
        except OSError:
            if not (folder / LAUNCHER).exists():
                raise  # else another test process built it meanwhile
    return folder / LAUNCHER


def sdk_errors(paths: Sequence[Path]) -> dict[Path, list[str]]:
    """The SDK validator's findings per file, all files in one process."""
    found: dict[Path, list[str]] = {path: [] for path in paths}
    if not paths:
        return found
    result = subprocess.run(
        [str(validator_program()), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        # No ICU needed: the validator compares no text by culture.
        env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"the validator stopped ({result.returncode}):\n{result.stderr}")
    for line in result.stdout.splitlines():
        index, error_id, part, xpath, text = line.split("\t")
        found[paths[int(index)]].append(f"{part} {xpath}: {text} [{error_id}]")
    return found


def cells_without_final_paragraph(path: Path) -> list[str]:
    """Every table cell whose last block is not a paragraph (say, a nested table): Word
    demands one there, and the SDK's schema does not."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not _STORIES.fullmatch(name):
                continue
            try:
                root = etree.fromstring(z.read(name))
            except etree.XMLSyntaxError as e:
                found.append(f"/{name}: not well-formed XML ({e})")
                continue
            tree = root.getroottree()
            for cell in root.iter(f"{{{W}}}tc"):
                if not _ends_in_paragraph(cell):
                    text = "".join(cell.itertext())[:60]
                    found.append(
                        f"/{name} {tree.getpath(cell)}: table cell does not end in a paragraph "
                        f"({text!r})"
                    )
    return found


def _ends_in_paragraph(container: etree._Element) -> bool:
    blocks = [child for child in container if child.tag not in _RANGE_MARKS]
    if not blocks:
        return False
    last = blocks[-1]
    if last.tag == f"{{{W}}}p":
        return True
    # A content control or custom XML around the last block: its inside counts.
    if last.tag == f"{{{W}}}sdt":
        content = last.find(f"{{{W}}}sdtContent")
        return content is not None and _ends_in_paragraph(content)
    return last.tag == f"{{{W}}}customXml" and _ends_in_paragraph(last)


def docx_errors(paths: Iterable[Path]) -> dict[Path, list[str]]:
    """Every finding of both checks, per file."""
    files = list(paths)
    found = sdk_errors(files)
    for path in files:
        found[path].extend(cells_without_final_paragraph(path))
    return found


def require_validator() -> None:
    """Skip the calling test where the validator is missing, but fail in CI."""
    try:
        validator_program()
    except ValidatorMissing as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"validator missing in CI: {e}")
        pytest.skip(str(e))


def assert_valid_docx(*paths: Path) -> None:
    """Raise AssertionError with every finding, per file, unless each file is valid."""
    require_validator()
    found = {path: errors for path, errors in docx_errors(paths).items() if errors}
    if found:
        report = "".join(
            f"\n{path.name}:" + "".join(f"\n  {e}" for e in errors)
            for path, errors in found.items()
        )
        raise AssertionError(f"Word would repair {len(found)} of {len(paths)} file(s):{report}")


def main(args: list[str]) -> int:
    try:
        found = docx_errors(Path(a) for a in args)
    except ValidatorMissing as e:
        print(e, file=sys.stderr)
        return 2
    for path, errors in found.items():
        print(f"{path}: {'OK' if not errors else f'{len(errors)} problem(s)'}")
        for error in errors:
            print(f"  {error}")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
