"""A randomized year of staff work: edits (python-docx and LibreOffice), renamed folders,
name changes, intake changes, lost state files and reruns in any order. After every run,
each text a person typed is still in a Word file and in that student's one dossier.

A few short sequences in the normal run; `make fuzz` sets OPP_FUZZ_EXAMPLES for a long one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from opp_docs.files import STUDENTS_DIR
from opp_docs.pipeline.state import STATE
from tests.helpers import words_in
from tests.pipeline.staff import (
    YEAR,
    docx_texts,
    entry,
    run,
    save_with_libreoffice,
    type_into,
    write_intake,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.libreoffice]

NUMBERS = ("990301", "990302")
SURNAMES = ("Jansen", "Janssen", "Jansen-Visser")


class StaffYear(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="opp-docs-fuzz-"))
        self.intake = self.tmp / "intake"
        self.out = self.tmp / "out"
        self.year = self.out / YEAR
        self.students: dict[str, dict[str, Any]] = {
            n: {"nummer": n, "velden": {"Achternaam": "Jansen", "Roepnaam": f"Kim{i}"}}
            for i, n in enumerate(NUMBERS)
        }
        # What a person typed, by student; checked after every run.
        self.typed: dict[str, list[str]] = {n: [] for n in NUMBERS}
        self.manifest: dict[str, Any] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    @initialize()
    def first_run(self) -> None:
        self.rerun()

    def folder_of(self, number: str) -> Path:
        return self.year / entry(self.manifest, number)["map"]

    @rule(
        number=st.sampled_from(NUMBERS),
        which=st.integers(0, 20),
        libreoffice=st.booleans(),
    )
    def edit(self, number: str, which: int, libreoffice: bool) -> None:
        files = sorted(self.folder_of(number).glob("*.docx"))
        if not files:
            return
        path = files[which % len(files)]
        text = f"Getypt{len(self.typed[number])}voor{number}"
        type_into(path, text)
        if libreoffice:
            save_with_libreoffice(path, self.tmp)
        self.typed[number].append(text)

    @rule(number=st.sampled_from(NUMBERS), keep_number=st.booleans())
    def rename_folder(self, number: str, keep_number: bool) -> None:
        folder = self.folder_of(number)
        if not folder.exists():
            return
        name = (
            f"{folder.name} - afgerond" if keep_number else f"Map {len(folder.name)} {number[-1]}x"
        )
        if not (folder.parent / name).exists():
            folder.rename(folder.parent / name)

    @rule(number=st.sampled_from(NUMBERS), surname=st.sampled_from(SURNAMES))
    def change_name(self, number: str, surname: str) -> None:
        self.students[number]["velden"]["Achternaam"] = surname

    @rule(number=st.sampled_from(NUMBERS), school=st.sampled_from(("De Linde", "De Es")))
    def change_intake(self, number: str, school: str) -> None:
        self.students[number]["velden"]["Basisschool"] = school

    @rule()
    def lose_state(self) -> None:
        (self.year / STATE).unlink(missing_ok=True)

    @rule()
    def rerun(self) -> None:
        write_intake(self.intake, *self.students.values())
        self.manifest = run(self.intake, self.out)
        in_files = docx_texts(self.year / STUDENTS_DIR)
        all_dossiers = list((self.year / STUDENTS_DIR).glob("*/dossier - *.pdf"))
        assert len(all_dossiers) == len(NUMBERS), all_dossiers
        for number, texts in self.typed.items():
            dossier = self.year / entry(self.manifest, number)["dossier"]
            in_dossier = words_in(dossier)
            for text in texts:
                assert text in in_files, f"{text} is from no Word file"
                assert text in in_dossier, f"{text} is not in the dossier of {number}"


def test_staff_work_survives_a_year_of_changes() -> None:
    examples = os.environ.get("OPP_FUZZ_EXAMPLES")
    run_state_machine_as_test(
        StaffYear,
        settings=settings(
            max_examples=int(examples) // 50 + 1 if examples else 2,
            stateful_step_count=12 if examples else 6,
            derandomize=not examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
