"""Shipped defaults, loaded by migration 0002: the BARC-10 and the demographic categories.

The BARC-10 (Brief Assessment of Recovery Capital; Vilsaint et al. 2017): ten items on a six-point
agreement scale, total 10-60, 47 or more associated with sustained remission (DOMAIN.md). The item
wording below is Lantern's own plain-language paraphrase of the ten domains, NOT the published wording:
programs should load their licensed wording (an admin edits a copy under /program/instruments/).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

# The texts below are stored in the database by migration 0002 (in English). They are marked (gettext_noop)
# so that the Spanish catalogue carries them, and pages show the shipped ones in the reader's language
# (outcomes.models: ``shown``). The Spanish of the BARC-10 items is, like the English, Lantern's plain
# paraphrase, NOT an official translation of the instrument; programs load their licensed wording.

BARC10 = {
    "code": "barc-10",
    "name": N_("BARC-10 recovery capital"),
    "description": N_("Brief Assessment of Recovery Capital: ten statements the participant agrees or disagrees "
                   "with. Total 10-60; 47 or more is the published marker associated with sustained remission."),
    "wording_note": N_("Item wording here is Lantern's plain-language paraphrase of the BARC-10's ten domains, "
                    "not the official wording. Load your program's licensed wording before reporting."),
    "max_skipped": 1,
    "prorate": True,
}

AGREEMENT_SCALE = [  # value, label, phrase
    (1, N_("Strongly disagree"), N_("strongly disagrees")),
    (2, N_("Disagree"), N_("disagrees")),
    (3, N_("Somewhat disagree"), N_("somewhat disagrees")),
    (4, N_("Somewhat agree"), N_("somewhat agrees")),
    (5, N_("Agree"), N_("agrees")),
    (6, N_("Strongly agree"), N_("strongly agrees")),
]

BARC10_ITEMS = [  # label, text, dimension code
    (N_("Priorities"), N_("Other things in my life now matter more to me than drinking or using."), "health"),
    (N_("Life satisfaction"), N_("On the whole, I am content with how my life is going."), "emotional"),
    (N_("Energy"), N_("I have the energy to get done what I set out to do."), "physical"),
    (N_("Community"), N_("I feel I belong in my neighbourhood and I am glad to be part of it."), "community"),
    (N_("Support from others"), N_("Friends and people close to me back me up."), "social"),
    (N_("Meaningful life"), N_("My days are full and worthwhile without alcohol or drugs."), "purpose"),
    (N_("Housing"), N_("Where I live helps my recovery."), "home"),
    (N_("Responsibility"), N_("I own up to the things I do."), "emotional"),
    (N_("Working with services"), N_("I am comfortable working with doctors, counsellors and other professionals."),
     "health"),
    (N_("Recovery progress"), N_("I am moving forward in my recovery."), "purpose"),
]

BARC10_THRESHOLDS = [  # min score, label, drawn as the chart's line
    (10, N_("Below the sustained-remission marker"), False),
    (47, N_("At or above 47: associated with sustained remission"), True),
]

# Demographic categories (question, code, label); programs add their own. Race and ethnicity follow the
# federal (OMB 2024) minimum categories; several may be chosen.
CATEGORIES = [
    ("gender", "woman", N_("Woman")), ("gender", "man", N_("Man")),
    ("gender", "transgender-woman", N_("Transgender woman")),
    ("gender", "transgender-man", N_("Transgender man")), ("gender", "non-binary", N_("Non-binary")),
    ("gender", "another", N_("Another gender identity")),
    ("race_ethnicity", "american-indian-alaska-native", N_("American Indian or Alaska Native")),
    ("race_ethnicity", "asian", N_("Asian")), ("race_ethnicity", "black", N_("Black or African American")),
    ("race_ethnicity", "hispanic-latino", N_("Hispanic or Latino")),
    ("race_ethnicity", "middle-eastern-north-african", N_("Middle Eastern or North African")),
    ("race_ethnicity", "native-hawaiian-pacific-islander", N_("Native Hawaiian or Pacific Islander")),
    ("race_ethnicity", "white", N_("White")),
    ("veteran", "yes", N_("Veteran")), ("veteran", "no", N_("Not a veteran")),
    ("housing", "stable", N_("Stably housed (own or rented)")),
    ("housing", "with-others", N_("Staying with family or friends")),
    ("housing", "recovery-residence", N_("Recovery residence")), ("housing", "shelter", N_("Shelter")),
    ("housing", "street", N_("Street or outdoors")),
    ("housing", "institution", N_("Institution (jail, hospital, treatment)")),
    ("employment", "full-time", N_("Employed full time")), ("employment", "part-time", N_("Employed part time")),
    ("employment", "unemployed-looking", N_("Unemployed, looking for work")),
    ("employment", "not-in-labor-force", N_("Not in the labor force")), ("employment", "student", N_("Student")),
    ("employment", "disabled", N_("Unable to work (disability)")), ("employment", "retired", N_("Retired")),
    ("insurance", "medicaid", N_("Medicaid")), ("insurance", "medicare", N_("Medicare")),
    ("insurance", "private", N_("Private insurance")), ("insurance", "other-public", N_("Other public coverage")),
    ("insurance", "none", N_("No insurance")),
]


def defaults_load(instrument_model, item_model, option_model, threshold_model, category_model,
                  dimension_model) -> None:
    """Create the shipped instrument and categories that are missing (models may be a migration's)."""
    instrument, created = instrument_model.objects.get_or_create(
        code=BARC10["code"], program=None, defaults={k: v for k, v in BARC10.items() if k != "code"})
    if created:
        dimensions = {d.code: d for d in dimension_model.objects.all()}
        option_model.objects.bulk_create([option_model(instrument=instrument, value=v, label=label, phrase=phrase)
                                          for v, label, phrase in AGREEMENT_SCALE])
        item_model.objects.bulk_create([
            item_model(instrument=instrument, position=n, label=label, text=text, dimension=dimensions.get(code))
            for n, (label, text, code) in enumerate(BARC10_ITEMS, start=1)])
        threshold_model.objects.bulk_create([threshold_model(instrument=instrument, min_score=score, label=label,
                                                             is_marker=marker)
                                             for score, label, marker in BARC10_THRESHOLDS])
    for position, (question, code, label) in enumerate(CATEGORIES):
        category_model.objects.get_or_create(question=question, code=code, program=None,
                                             defaults={"label": label, "position": position})


def program_setup(program) -> None:
    """``recovery.reference.PROGRAM_DEFAULTS``: the BARC-10 and the demographic categories (if missing). The
    program's outcome settings are their defaults until an admin saves them (``OutcomeSettings.of``)."""
    from clients.models import Dimension
    from outcomes.models import Category, Instrument, Item, ResponseOption, Threshold

    defaults_load(Instrument, Item, ResponseOption, Threshold, Category, Dimension)
