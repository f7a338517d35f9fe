"""How a commitment is delivered: read from the verb it starts with, else from who leads it. The one place these
rules are written; the Police & Crime Plan reader, the delivery-plan importer (and so the seed) all use it.

Hertfordshire's plans word every commitment by its mechanism ("Ask the Chief Constable ...", "Hold the Chief
Constable to account ...", "Work with ...", "Lobby the Government ...", "Fund/Commission ..."), and the wording
decides when it says one. Other offices' trackers word an action by what is done ("Deliver training on ...") and
say who leads it in a lead column: then the lead decides. The Constabulary alone leading is the Chief Constable
asked to deliver; the OPCC alone is the OPCC delivering; a partner (a council, the CPS, probation, a CSP ...), or
more than one body, is working with partners. A lead the rules do not know (an officer's name) decides nothing,
and anything undecided the OPCC does itself.

The lead is NOT derived from the mechanism: the Annual Delivery Plan says the Constabulary leads over half of its
actions, while their verbs would give the OPCC most of them. A lead comes only from a lead column, or from an
officer.
"""

from __future__ import annotations

import re

from accountability_tui.domain.models import Mechanism

__all__ = ["classify", "read_mechanism"]

# The wording: a commitment's opening words, in this order (the first that matches decides).
_RULES: list[tuple[Mechanism, re.Pattern[str]]] = [
    (Mechanism.HOLD_TO_ACCOUNT, re.compile(
        r"^(hold (the )?(chief constable|constabulary)\b.*\bto account|monitor|seek (re)?assurance|"
        r"ensure (that )?(the )?constabulary|ensure frontline officers|scrutinise)")),
    (Mechanism.ASK_CHIEF_CONSTABLE, re.compile(
        r"^(ask (the )?(chief constable|constabulary)|for the chief constable|the chief constable (should|to)|"
        r"ask local leaders)")),
    (Mechanism.LOBBYING, re.compile(r"^(lobby|campaign|press)")),
    (Mechanism.PARTNERS, re.compile(
        r"^(work (with|in partnership)|in collaboration|collaborate|encourage|convene|support|chair|"
        r"ensure (that )?(the )?community safety partnerships|use opportunities)")),
    (Mechanism.OPCC_DELIVERS, re.compile(r"^(fund|co-?fund|commission|co-?commission|grant|invest)\b")),
]

# The lead: which bodies a lead names. "Police" is the force, except in "Police and Crime Commissioner" / "Panel".
_FORCE = re.compile(
    r"\b(constabulary|chief constable|police(?!\s*(and|&)\s*crime)|force|herts police|acc|dcc|"
    r"(chief )?superintendent|supt|ch\.? ?supt|chief inspector)\b")
_OPCC = re.compile(r"\b(opcc|pcc|police (and|&) crime commissioner|commissioner'?s office|"
                   r"office of the (police (and|&) crime )?commissioner)\b")
_PARTNER = re.compile(
    r"\b(partners?|partnerships?|councils?|county|district|borough|local authorit(y|ies)|cps|crown prosecution|"
    r"probation|hmpps|prisons?|courts?|hmcts|nhs|health|icb|hospitals?|fire|rescue|schools?|education|"
    r"universit(y|ies)|csps?|community safety|youth justice|yot|yjs|charit(y|ies)|voluntary|third sector|"
    r"victim support|home office|government|ministry|moj|ersou|bch|7 ?force|housing|trading standards|"
    r"environment agency|highways|transport|btp|safeguarding|agencies|multi-agency)\b")


def _by_lead(lead: str | None) -> Mechanism | None:
    """The mechanism a lead tells, or None when the lead names no body the rules know."""
    text = " ".join((lead or "").lower().split())
    if not text:
        return None
    force, opcc, partner = bool(_FORCE.search(text)), bool(_OPCC.search(text)), bool(_PARTNER.search(text))
    if partner or (force and opcc):
        return Mechanism.PARTNERS
    if force:
        return Mechanism.ASK_CHIEF_CONSTABLE
    if opcc:
        return Mechanism.OPCC_DELIVERS
    return None


def classify(text: str, lead: str | None = None) -> Mechanism:
    """The mechanism of a commitment: from its opening words when they say one, else from its lead (see the
    module's docstring); anything else the OPCC does itself."""
    start = re.sub(r"^\W+", "", text.strip().lower())
    for mechanism, pattern in _RULES:
        if pattern.search(start):
            return mechanism
    return _by_lead(lead) or Mechanism.OPCC_DELIVERS


# A mechanism as a tracker writes it: its label ("With partners"), its value ("with_partners"), or a usual synonym.
_NAMES: dict[str, Mechanism] = {
    **{m.label.lower(): m for m in Mechanism},
    **{m.value.replace("_", " "): m for m in Mechanism},
    "ask cc": Mechanism.ASK_CHIEF_CONSTABLE, "ask the cc": Mechanism.ASK_CHIEF_CONSTABLE,
    "ask chief constable": Mechanism.ASK_CHIEF_CONSTABLE, "chief constable": Mechanism.ASK_CHIEF_CONSTABLE,
    "constabulary": Mechanism.ASK_CHIEF_CONSTABLE,
    "hold the chief constable to account": Mechanism.HOLD_TO_ACCOUNT, "holding to account": Mechanism.HOLD_TO_ACCOUNT,
    "scrutiny": Mechanism.HOLD_TO_ACCOUNT, "hold to account": Mechanism.HOLD_TO_ACCOUNT,
    "opcc": Mechanism.OPCC_DELIVERS, "pcc": Mechanism.OPCC_DELIVERS, "pcc delivers": Mechanism.OPCC_DELIVERS,
    "opcc to deliver": Mechanism.OPCC_DELIVERS, "fund": Mechanism.OPCC_DELIVERS, "commission": Mechanism.OPCC_DELIVERS,
    "fund commission": Mechanism.OPCC_DELIVERS, "commissioning": Mechanism.OPCC_DELIVERS,
    "partnership": Mechanism.PARTNERS, "work with partners": Mechanism.PARTNERS, "with partners": Mechanism.PARTNERS,
    "lobby": Mechanism.LOBBYING, "lobbying": Mechanism.LOBBYING, "influence": Mechanism.LOBBYING,
}


def read_mechanism(text: str | None) -> Mechanism | None:
    """A mechanism written in a cell, by its label, case and punctuation ignored ("With partners", "with_partners",
    "OPCC delivers", "Lobbying"); None when blank or not one of them."""
    words = " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower().replace("_", " ")).split())
    return _NAMES.get(words) if words else None
