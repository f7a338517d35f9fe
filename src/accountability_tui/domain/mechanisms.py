"""How a commitment is delivered, read from the verb it starts with.

Hertfordshire's plans word every commitment by its mechanism ("Ask the Chief Constable ...", "Hold the Chief
Constable to account ...", "Work with ...", "Lobby the Government ...", "Fund/Commission ..."). The lead is NOT
derived from it: the Annual Delivery Plan says the Constabulary leads over half of its actions, while their verbs
would give the OPCC most of them. A lead comes only from a lead column, or from an officer.
"""

from __future__ import annotations

import re

from accountability_tui.domain.models import Mechanism

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
]


def classify(text: str) -> Mechanism:
    """The mechanism of a commitment, from its opening words. Anything else the OPCC does itself."""
    start = re.sub(r"^\W+", "", text.strip().lower())
    for mechanism, pattern in _RULES:
        if pattern.search(start):
            return mechanism
    return Mechanism.OPCC_DELIVERS
