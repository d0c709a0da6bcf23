"""Stage 5: the overviews the team leader works from.

`write.write_overviews` writes them all; one module per file it writes (worklist: overzicht.xlsx,
bron: bron-aanmelding.xlsx, ics: planning.ics, teachers: docentenoverzicht, intake_report:
intake-rapport.xlsx), with sheets for what the workbooks share and made_from for what lets a
rerun leave unchanged overviews alone.
"""
