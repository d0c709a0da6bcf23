"""What a rerun may take from the last: the code digest covers all the code that decides what
the overviews say."""

from __future__ import annotations

from opp_docs.overviews.made_from import CODE
from tests.helpers import REPO


def test_the_code_digest_covers_every_module_that_reads_documents_or_writes_overviews() -> None:
    # The intake report is written anew on every run; it is not cached.
    overviews = {
        f"opp_docs.overviews.{path.stem}"
        for path in (REPO / "opp_docs" / "overviews").glob("*.py")
        if path.stem not in ("__init__", "intake_report")
    }
    assert overviews | {"opp_docs.documents.reading"} <= set(CODE)
