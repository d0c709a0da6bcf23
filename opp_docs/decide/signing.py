"""Whether a student's plan is signed, and on which day: the plan counts as signed once a scan
of the signed sheet came back or the intake gives the day (*Datum ondertekening*).

The intake's date wins: the team leader wrote down the day the parents signed, while a file's
date is only the day it was scanned or copied. Of several scans the earliest counts: a later
one is a better copy, not a later signing.
"""

from __future__ import annotations

import datetime as dt

from opp_docs.models import Leerling, Scan, SignedFrom


def signed_on(leerling: Leerling, scans: list[Scan]) -> tuple[dt.date, SignedFrom] | None:
    """The day the plan was signed and where that day comes from; None while not signed."""
    if leerling.datum_ondertekening is not None:
        return leerling.datum_ondertekening, SignedFrom.INTAKE
    if scans:
        return min(scan.datum for scan in scans), SignedFrom.FILE
    return None
