"""Propose a route per student, with a Dutch reason naming the fields that decided it.

The rules follow the school's procedure (seed) in order; the first match wins. A decision written
by the team leader in the intake always overrides the proposal.
"""

from __future__ import annotations

from opp_docs.config import Config
from opp_docs.models import Leerling, Route, RouteDecision


def propose_route(leerling: Leerling, config: Config) -> RouteDecision:
    if leerling.route_besluit is not None:
        return RouteDecision(
            leerling.route_besluit,
            f"Besluit teamleider in de intake (Route (besluit): {leerling.route_besluit.value}).",
            besluit=True,
        )

    if leerling.lwoo or leerling.pro:
        soort = "LWOO" if leerling.lwoo else "PrO"
        redenen = []
        if leerling.zorg_gedrag:
            redenen.append("Zorg gedrag/begeleiding: ja")
        if leerling.tlv_mogelijk:
            redenen.append("TLV mogelijk: ja")
        if redenen:
            return RouteDecision(
                Route.OPP,
                f"{soort}-leerling met {' en '.join(redenen)}: uitzondering in de procedure, "
                "deze leerling krijgt een OPP.",
            )
        return RouteDecision(
            Route.LWOO_HANDELINGSPLAN,
            f"{soort}-leerling ({soort}: ja) zonder ernstige gedrags- of begeleidingszorg: "
            "handelingsplan LWOO, geen OPP.",
        )

    if leerling.ondersteuningsniveau == "zwaar":
        return RouteDecision(
            Route.OPP,
            "Ondersteuningsniveau: zwaar (ernstige of hardnekkige problematiek).",
        )
    if leerling.risico_vo:
        return RouteDecision(
            Route.OPP,
            "Risico uitval VO: ja (verwacht mag worden dat de leerling het VO niet redt).",
        )

    grens = config.basis_max_rt + config.basis_uitloop_rt
    if leerling.ondersteuningsniveau == "licht":
        return RouteDecision(
            Route.OPP_LIGHT,
            "Ondersteuningsniveau: licht (meer dan basisondersteuning, geen zeer ernstige "
            "problematiek).",
        )
    rt = leerling.rt_momenten
    if rt is not None and rt > grens:
        return RouteDecision(
            Route.OPP_LIGHT,
            f"Verwacht aantal RT-momenten: {rt}, meer dan de basisondersteuning "
            f"({config.basis_max_rt} per jaar plus {config.basis_uitloop_rt} uitloop).",
        )

    if leerling.opp_po:
        return RouteDecision(
            Route.VOLGEN,
            "OPP basisschool: ja. De leerling wordt aan het begin van het schooljaar goed "
            "gevolgd; een OPP volgt als het nodig blijkt.",
        )

    reden = "Geen kenmerken die de basisondersteuning overschrijden."
    if rt is not None and rt > config.basis_max_rt:
        reden += (
            f" Let op: {rt} RT-momenten valt in de toegestane uitloop "
            f"(maximaal {config.basis_max_rt} plus {config.basis_uitloop_rt})."
        )
    return RouteDecision(Route.BASISONDERSTEUNING, reden)
