from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfWriter

from tests.intake_helpers import (
    read,
    registration,
    write_xlsx,
)


def test_pdf_reports_are_matched_on_number_in_name(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("123456"), registration("2024", Roepnaam="Bo")])
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    for name in ("OKR 123456.pdf", "123456-okr.pdf", "OKR 2024 777777.pdf", "brief.pdf"):
        (tmp_path / name).write_bytes(pdf)
    result = read(tmp_path)
    assert sorted(p.name for p in result.rapporten["123456"]) == [
        "123456-okr.pdf",
        "OKR 123456.pdf",
    ]
    assert result.rapporten["2024"][0].name == "OKR 2024 777777.pdf"
    notes = [p for p in result.problems if p.place.file == "brief.pdf"]
    assert notes and not notes[0].blocking
