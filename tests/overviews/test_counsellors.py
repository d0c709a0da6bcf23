"""Each counsellor's own worklist sheet and calendar, read back: only their students."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from opp_docs.models import StudentOutcome
from opp_docs.overviews.ics import PLANNING
from opp_docs.overviews.made_from import OverviewRecords
from opp_docs.overviews.worklist import OVERZICHT, worklist_title
from tests.overviews.students import D, fill, write

KOSTER = "planning dhr. R. Koster.ics"
DE_WIT = "planning mevr. J. de Wit.ics"


def sheet_rows(path: Path, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[title].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def events(path: Path) -> list[tuple[str, str]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return [(str(e["uid"]), str(e["summary"])) for e in calendar.walk("VEVENT")]


def test_each_counsellor_has_a_sheet_with_only_their_students(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 10, 20))
    book = load_workbook(files[OVERZICHT])
    assert book.sheetnames == [
        "Overzicht", "Werklijst dhr. R. Koster", "Werklijst mevr. J. de Wit", "Toelichting"
    ]  # fmt: skip
    everyone = sheet_rows(files[OVERZICHT], "Overzicht")
    koster = sheet_rows(files[OVERZICHT], "Werklijst dhr. R. Koster")
    de_wit = sheet_rows(files[OVERZICHT], "Werklijst mevr. J. de Wit")
    assert [r["Naam"] for r in koster] == ["Noor de Bakker"]
    assert {r["Leerlingbegeleider"] for r in de_wit} == {"mevr. J. de Wit"}
    # Together they are everyone, in the worklist's order, each row as in the worklist.
    assert sorted(koster + de_wit, key=everyone.index) == everyone
    assert [r["Naam"] for r in de_wit] == [
        r["Naam"] for r in everyone if r["Leerlingbegeleider"] == "mevr. J. de Wit"
    ]
    # A worklist of its own: the filter, the frozen header and the deadline colours.
    sheet = book["Werklijst dhr. R. Koster"]
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}2"
    assert sheet.freeze_panes == "C2"
    assert fill(sheet, 2, "Deadline ondertekening") == "FFFFD8A8"


def test_each_counsellor_has_a_calendar_of_only_their_students(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    files = write(tmp_path, *cohort, today=D(2026, 9, 1))
    koster, de_wit, all_of_them = (
        events(files[KOSTER]),
        events(files[DE_WIT]),
        events(files[PLANNING]),
    )
    # Noor's plan is finished: its first three steps are done and not in the calendar.
    assert len(koster) == 3
    assert all(summary.endswith("– Noor de Bakker") for _uid, summary in koster)
    assert len(de_wit) == 12
    assert {s.split(" – ")[1] for _uid, s in de_wit} == {"Sem Jansen", "Sophie Peters"}
    # The same events as in the team leader's calendar: importing both makes no doubles.
    assert sorted(koster + de_wit) == sorted(all_of_them)
    calendar = Calendar.from_ical(files[KOSTER].read_bytes())
    assert str(calendar["x-wr-calname"]).startswith("OPP-planning dhr. R. Koster –")
    description = str(next(iter(calendar.walk("VEVENT")))["description"])
    assert "Leerlingbegeleider: dhr. R. Koster." in description


def test_the_calendar_of_someone_who_is_no_counsellor_any_more_goes(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    records = OverviewRecords()
    write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    assert (tmp_path / KOSTER).exists()
    noor = next(o for o in cohort if o.leerling.roepnaam == "Noor")
    noor.leerlingbegeleider = "mevr. J. de Wit"
    files = write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    assert not (tmp_path / KOSTER).exists()
    assert KOSTER not in files
    assert any(s.endswith("Noor de Bakker") for _uid, s in events(files[DE_WIT]))


def test_a_calendar_someone_changed_is_left_to_them(
    tmp_path: Path, cohort: list[StudentOutcome]
) -> None:
    records = OverviewRecords()
    write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    changed = (tmp_path / KOSTER).read_bytes().replace(b"Noor", b"Noortje")
    (tmp_path / KOSTER).write_bytes(changed)
    noor = next(o for o in cohort if o.leerling.roepnaam == "Noor")
    noor.leerlingbegeleider = ""
    write(tmp_path, *cohort, today=D(2026, 9, 1), records=records)
    assert (tmp_path / KOSTER).read_bytes() == changed
    # A student without a counsellor is on no counsellor's sheet.
    sheets = load_workbook(tmp_path / OVERZICHT).sheetnames
    assert sheets == ["Overzicht", "Werklijst mevr. J. de Wit", "Toelichting"]


def test_sheet_names_are_what_excel_allows() -> None:
    taken = {"overzicht"}
    long = worklist_title("mevr. A.B.C. van den Hoogen-Vermeulen", taken)
    assert long == "Werklijst mevr. A.B.C. van den"
    taken.add(long.casefold())
    # Cut the same: numbered, still within 31 characters.
    second = worklist_title("mevr. A.B.C. van den Hoogen-Jansen", taken)
    assert second == "Werklijst mevr. A.B.C. van (2)"
    assert worklist_title("J. [de] Wit/Kok: ?*", set()) == "Werklijst J. _de_ Wit_Kok_ __"
