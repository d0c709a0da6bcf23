"""Each routing rule of the procedure, in order; first match wins."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from opp_docs.config import Config
from opp_docs.decide.routing import propose_route
from opp_docs.models import Leerling, Route


def leerling(**fields: Any) -> Leerling:
    return Leerling(
        leerlingnummer="990001",
        achternaam="Test",
        roepnaam="Kim",
        geboortedatum=dt.date(2014, 5, 3),
        **fields,
    )


CASES = [
    # (fields, route, words the reason must name)
    ({"route_besluit": Route.OPP_LIGHT, "ondersteuningsniveau": "zwaar"}, Route.OPP_LIGHT,
     "Besluit"),
    ({"route_besluit": Route.BASISONDERSTEUNING, "lwoo": True, "zorg_gedrag": True},
     Route.BASISONDERSTEUNING, "Besluit"),
    ({"lwoo": True, "zorg_gedrag": True}, Route.OPP, "Zorg gedrag"),
    ({"pro": True, "tlv_mogelijk": True}, Route.OPP, "TLV mogelijk"),
    ({"lwoo": True, "ondersteuningsniveau": "zwaar"}, Route.LWOO_HANDELINGSPLAN, "LWOO"),
    ({"pro": True}, Route.LWOO_HANDELINGSPLAN, "PrO"),
    ({"ondersteuningsniveau": "zwaar"}, Route.OPP, "zwaar"),
    ({"risico_vo": True, "ondersteuningsniveau": "licht"}, Route.OPP, "Risico uitval VO"),
    ({"ondersteuningsniveau": "licht"}, Route.OPP_LIGHT, "licht"),
    ({"rt_momenten": 11}, Route.OPP_LIGHT, "RT-momenten: 11"),
    ({"rt_momenten": 10, "opp_po": True}, Route.VOLGEN, "OPP basisschool"),
    ({"opp_po": True}, Route.VOLGEN, "OPP basisschool"),
    ({"rt_momenten": 10}, Route.BASISONDERSTEUNING, "uitloop"),
    ({"rt_momenten": 9}, Route.BASISONDERSTEUNING, "uitloop"),
    ({"rt_momenten": 8}, Route.BASISONDERSTEUNING, "Geen kenmerken"),
    ({}, Route.BASISONDERSTEUNING, "Geen kenmerken"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "route", "reason_word"), CASES)
def test_rules(fields: dict[str, Any], route: Route, reason_word: str) -> None:
    decision = propose_route(leerling(**fields), Config())
    assert decision.route is route
    assert reason_word in decision.reden
    assert decision.besluit == ("route_besluit" in fields)


def test_basisondersteuning_without_overrun_note_has_no_warning() -> None:
    assert "uitloop" not in propose_route(leerling(rt_momenten=8), Config()).reden


def test_limits_come_from_the_configuration() -> None:
    strict = Config(basis_max_rt=5, basis_uitloop_rt=0)
    assert propose_route(leerling(rt_momenten=6), strict).route is Route.OPP_LIGHT
    assert propose_route(leerling(rt_momenten=6), Config()).route is Route.BASISONDERSTEUNING


def test_route_moves_when_a_higher_level_arrives() -> None:
    student = leerling(opp_po=True)
    assert propose_route(student, Config()).route is Route.VOLGEN
    student.ondersteuningsniveau = "licht"
    assert propose_route(student, Config()).route is Route.OPP_LIGHT
    student.ondersteuningsniveau = "zwaar"
    assert propose_route(student, Config()).route is Route.OPP


def test_route_moves_when_a_decision_arrives() -> None:
    student = leerling(opp_po=True)
    assert propose_route(student, Config()).route is Route.VOLGEN
    student.route_besluit = Route.OPP
    assert propose_route(student, Config()).route is Route.OPP
