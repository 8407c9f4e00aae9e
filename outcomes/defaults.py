"""Shipped defaults, loaded by migration 0002: the BARC-10 and the demographic categories.

The BARC-10 (Brief Assessment of Recovery Capital; Vilsaint et al. 2017): ten items on a six-point
agreement scale, total 10-60, 47 or more associated with sustained remission (DOMAIN.md). The item
wording below is Lantern's own plain-language paraphrase of the ten domains, NOT the published wording:
programs should load their licensed wording (an admin edits a copy under /program/instruments/).
"""

from __future__ import annotations

BARC10 = {
    "code": "barc-10",
    "name": "BARC-10 recovery capital",
    "description": "Brief Assessment of Recovery Capital: ten statements the participant agrees or disagrees "
                   "with. Total 10-60; 47 or more is the published marker associated with sustained remission.",
    "wording_note": "Item wording here is Lantern's plain-language paraphrase of the BARC-10's ten domains, "
                    "not the official wording. Load your program's licensed wording before reporting.",
    "max_skipped": 1,
    "prorate": True,
}

AGREEMENT_SCALE = [  # value, label, phrase
    (1, "Strongly disagree", "strongly disagrees"),
    (2, "Disagree", "disagrees"),
    (3, "Somewhat disagree", "somewhat disagrees"),
    (4, "Somewhat agree", "somewhat agrees"),
    (5, "Agree", "agrees"),
    (6, "Strongly agree", "strongly agrees"),
]

BARC10_ITEMS = [  # label, text, dimension code
    ("Priorities", "Other things in my life now matter more to me than drinking or using.", "health"),
    ("Life satisfaction", "On the whole, I am content with how my life is going.", "emotional"),
    ("Energy", "I have the energy to get done what I set out to do.", "physical"),
    ("Community", "I feel I belong in my neighbourhood and I am glad to be part of it.", "community"),
    ("Support from others", "Friends and people close to me back me up.", "social"),
    ("Meaningful life", "My days are full and worthwhile without alcohol or drugs.", "purpose"),
    ("Housing", "Where I live helps my recovery.", "home"),
    ("Responsibility", "I own up to the things I do.", "emotional"),
    ("Working with services", "I am comfortable working with doctors, counsellors and other professionals.",
     "health"),
    ("Recovery progress", "I am moving forward in my recovery.", "purpose"),
]

BARC10_THRESHOLDS = [  # min score, label, drawn as the chart's line
    (10, "Below the sustained-remission marker", False),
    (47, "At or above 47: associated with sustained remission", True),
]

# Demographic categories (question, code, label); programs add their own. Race and ethnicity follow the
# federal (OMB 2024) minimum categories; several may be chosen.
CATEGORIES = [
    ("gender", "woman", "Woman"), ("gender", "man", "Man"), ("gender", "transgender-woman", "Transgender woman"),
    ("gender", "transgender-man", "Transgender man"), ("gender", "non-binary", "Non-binary"),
    ("gender", "another", "Another gender identity"),
    ("race_ethnicity", "american-indian-alaska-native", "American Indian or Alaska Native"),
    ("race_ethnicity", "asian", "Asian"), ("race_ethnicity", "black", "Black or African American"),
    ("race_ethnicity", "hispanic-latino", "Hispanic or Latino"),
    ("race_ethnicity", "middle-eastern-north-african", "Middle Eastern or North African"),
    ("race_ethnicity", "native-hawaiian-pacific-islander", "Native Hawaiian or Pacific Islander"),
    ("race_ethnicity", "white", "White"),
    ("veteran", "yes", "Veteran"), ("veteran", "no", "Not a veteran"),
    ("housing", "stable", "Stably housed (own or rented)"),
    ("housing", "with-others", "Staying with family or friends"),
    ("housing", "recovery-residence", "Recovery residence"), ("housing", "shelter", "Shelter"),
    ("housing", "street", "Street or outdoors"), ("housing", "institution", "Institution (jail, hospital, treatment)"),
    ("employment", "full-time", "Employed full time"), ("employment", "part-time", "Employed part time"),
    ("employment", "unemployed-looking", "Unemployed, looking for work"),
    ("employment", "not-in-labor-force", "Not in the labor force"), ("employment", "student", "Student"),
    ("employment", "disabled", "Unable to work (disability)"), ("employment", "retired", "Retired"),
    ("insurance", "medicaid", "Medicaid"), ("insurance", "medicare", "Medicare"),
    ("insurance", "private", "Private insurance"), ("insurance", "other-public", "Other public coverage"),
    ("insurance", "none", "No insurance"),
]


def defaults_load(instrument_model, item_model, option_model, threshold_model, category_model,
                  dimension_model) -> None:
    """Create the shipped instrument and categories that are missing (models may be a migration's)."""
    instrument, created = instrument_model.objects.get_or_create(
        code=BARC10["code"], program=None, defaults={k: v for k, v in BARC10.items() if k != "code"})
    if created:
        # The shipped instrument serves every program: its items name a dimension by its code (a goal
        # started from an item is offered the dimension of that code in the participant's program).
        dimensions = {d.code: d for d in dimension_model.objects.order_by("-pk")}
        option_model.objects.bulk_create([option_model(instrument=instrument, value=v, label=label, phrase=phrase)
                                          for v, label, phrase in AGREEMENT_SCALE])
        item_model.objects.bulk_create([
            item_model(instrument=instrument, position=n, label=label, text=text, dimension=dimensions.get(code))
            for n, (label, text, code) in enumerate(BARC10_ITEMS, start=1)])
        threshold_model.objects.bulk_create([threshold_model(instrument=instrument, min_score=score, label=label,
                                                             is_marker=marker)
                                             for score, label, marker in BARC10_THRESHOLDS])
    elif item_model.objects.filter(instrument=instrument, dimension__isnull=True).exists():
        # An install without programs when dimensions became per program kept none: link them again.
        dimensions = {d.code: d for d in dimension_model.objects.order_by("-pk")}
        for n, (_label, _text, code) in enumerate(BARC10_ITEMS, start=1):
            if code in dimensions:
                item_model.objects.filter(instrument=instrument, position=n, dimension__isnull=True).update(
                    dimension=dimensions[code])
    for position, (question, code, label) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(question=question, code=code, program=None,
                                             defaults={"label": label, "position": position})


def program_setup(program) -> None:
    """``recovery.reference.PROGRAM_DEFAULTS``: the BARC-10 and the demographic categories (if missing). The
    program's outcome settings are their defaults until an admin saves them (``OutcomeSettings.of``)."""
    from clients.models import Dimension
    from outcomes.models import Category, Instrument, Item, ResponseOption, Threshold

    defaults_load(Instrument, Item, ResponseOption, Threshold, Category, Dimension)
