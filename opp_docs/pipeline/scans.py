"""The signed scans as PDFs for the dossiers: a PDF scan as it is, an image converted once.

The converted copy of a scanned image holds a child's data, so it lives only in the school
year's own output folder, in the hidden `SCANS_DIR` (owner-only, as everything a run writes),
named by the image's content digest and recorded in the run state: a rerun with the same image
converts nothing, a new scan converts only itself. Copies no scan of this run needs any more
are removed at the end of the run. Nothing in the intake folder is ever written.
"""

from __future__ import annotations

from pathlib import Path

from opp_docs.files import sha256_file
from opp_docs.models import Scan
from opp_docs.pdf.images import CONVERSION, image_to_pdf
from opp_docs.pipeline.state import BuildState

SCANS_DIR = ".scans"


class ScanPdfs:
    """The PDFs of one run's scans."""

    def __init__(self, state: BuildState) -> None:
        self.state = state
        self.folder = state.folder / SCANS_DIR
        self.used: set[Path] = set()
        # Images converted this run: a rerun without a new scan converts none.
        self.converted = 0

    def pdf(self, scan: Scan) -> Path:
        """The PDF of `scan` for the dossier; raises `images.ImageError` when an image cannot
        be converted."""
        if scan.is_pdf:
            return scan.path
        target = self.folder / f"{sha256_file(scan.path)}.pdf"
        self.used.add(target)
        if not self.state.scan_is_current(target, CONVERSION):
            image_to_pdf(scan.path, target)
            self.converted += 1
            self.state.scan_made(target, CONVERSION)
        return target

    def remove_unused(self) -> None:
        """Remove the converted copies no scan of this run needs (and a killed run's
        temporary files): a scan taken out of the intake leaves no copy behind. Only after
        every dossier of the run is made."""
        for key in list(self.state.scans):
            if self.state.folder / key not in self.used:
                self.state.scan_gone(self.state.folder / key)
        if not self.folder.is_dir() or self.folder.is_symlink():
            return
        for path in self.folder.iterdir():
            if path not in self.used and path.is_file():
                path.unlink(missing_ok=True)
