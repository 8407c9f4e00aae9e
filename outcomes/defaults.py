"""Shipped defaults, loaded by migration 0002: the BARC-10 and the demographic categories.

The BARC-10 (Brief Assessment of Recovery Capital; Vilsaint et al. 2017): ten items on a six-point
agreement scale, total 10-60, 47 or more associated with sustained remission (DOMAIN.md). The item
wording below is Lantern's own plain-language paraphrase of the ten domains, NOT the published wording:
programs should load their licensed wording (an admin edits a copy under /program/instruments/).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

from recovery.reference import missing_created

# The texts below are stored in the database by migration 0002, in English. They are marked (gettext_noop,
# imported as _) so that the Spanish catalogue carries them; pages show the shipped ones in the reader's
# language (templates: ``|shipped`` from outcomes_i18n; forms and summaries: gettext). The Spanish of the
# BARC-10 items is, like the English, Lantern's own plain paraphrase, NOT an official translation of the
# instrument; programs load their licensed wording.

BARC10 = {
    "code": "barc-10",
    "name": _("BARC-10 recovery capital"),
    "description": _("Brief Assessment of Recovery Capital: ten statements the participant agrees or disagrees "
                   "with. Total 10-60; 47 or more is the published marker associated with sustained remission."),
    "wording_note": _("Item wording here is Lantern's plain-language paraphrase of the BARC-10's ten domains, "
                    "not the official wording. Load your program's licensed wording before reporting."),
    "max_skipped": 1,
    "prorate": True,
}

AGREEMENT_SCALE = [  # value, label, phrase
    (1, _("Strongly disagree"), _("strongly disagrees")),
    (2, _("Disagree"), _("disagrees")),
    (3, _("Somewhat disagree"), _("somewhat disagrees")),
    (4, _("Somewhat agree"), _("somewhat agrees")),
    (5, _("Agree"), _("agrees")),
    (6, _("Strongly agree"), _("strongly agrees")),
]

BARC10_ITEMS = [  # label, text, dimension code
    (_("Priorities"), _("Other things in my life now matter more to me than drinking or using."), "health"),
    (_("Life satisfaction"), _("On the whole, I am content with how my life is going."), "emotional"),
    (_("Energy"), _("I have the energy to get done what I set out to do."), "physical"),
    (_("Community"), _("I feel I belong in my neighbourhood and I am glad to be part of it."), "community"),
    (_("Support from others"), _("Friends and people close to me back me up."), "social"),
    (_("Meaningful life"), _("My days are full and worthwhile without alcohol or drugs."), "purpose"),
    (_("Housing"), _("Where I live helps my recovery."), "home"),
    (_("Responsibility"), _("I own up to the things I do."), "emotional"),
    (_("Working with services"), _("I am comfortable working with doctors, counsellors and other professionals."),
     "health"),
    (_("Recovery progress"), _("I am moving forward in my recovery."), "purpose"),
]

BARC10_THRESHOLDS = [  # min score, label, drawn as the chart's line
    (10, _("Below the sustained-remission marker"), False),
    (47, _("At or above 47: associated with sustained remission"), True),
]

# Demographic categories (question, code, label); programs add their own. Race and ethnicity follow the
# federal (OMB 2024) minimum categories; several may be chosen.
CATEGORIES = [
    ("gender", "woman", _("Woman")), ("gender", "man", _("Man")),
    ("gender", "transgender-woman", _("Transgender woman")),
    ("gender", "transgender-man", _("Transgender man")), ("gender", "non-binary", _("Non-binary")),
    ("gender", "another", _("Another gender identity")),
    ("race_ethnicity", "american-indian-alaska-native", _("American Indian or Alaska Native")),
    ("race_ethnicity", "asian", _("Asian")), ("race_ethnicity", "black", _("Black or African American")),
    ("race_ethnicity", "hispanic-latino", _("Hispanic or Latino")),
    ("race_ethnicity", "middle-eastern-north-african", _("Middle Eastern or North African")),
    ("race_ethnicity", "native-hawaiian-pacific-islander", _("Native Hawaiian or Pacific Islander")),
    ("race_ethnicity", "white", _("White")),
    ("veteran", "yes", _("Veteran")), ("veteran", "no", _("Not a veteran")),
    ("housing", "stable", _("Stably housed (own or rented)")),
    ("housing", "with-others", _("Staying with family or friends")),
    ("housing", "recovery-residence", _("Recovery residence")), ("housing", "shelter", _("Shelter")),
    ("housing", "street", _("Street or outdoors")),
    ("housing", "institution", _("Institution (jail, hospital, treatment)")),
    ("employment", "full-time", _("Employed full time")), ("employment", "part-time", _("Employed part time")),
    ("employment", "unemployed-looking", _("Unemployed, looking for work")),
    ("employment", "not-in-labor-force", _("Not in the labor force")), ("employment", "student", _("Student")),
    ("employment", "disabled", _("Unable to work (disability)")), ("employment", "retired", _("Retired")),
    ("insurance", "medicaid", _("Medicaid")), ("insurance", "medicare", _("Medicare")),
    ("insurance", "private", _("Private insurance")), ("insurance", "other-public", _("Other public coverage")),
    ("insurance", "none", _("No insurance")),
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
    missing_created(category_model, ("question", "code"), [
        {"question": question, "code": code, "label": label, "position": position}
        for position, (question, code, label) in enumerate(CATEGORIES)], program=None)


def program_setup(program) -> None:
    """``recovery.reference.PROGRAM_DEFAULTS``: the BARC-10 and the demographic categories (if missing). The
    program's outcome settings are their defaults until an admin saves them (``OutcomeSettings.of``)."""
    from clients.models import Dimension
    from outcomes.models import Category, Instrument, Item, ResponseOption, Threshold

    defaults_load(Instrument, Item, ResponseOption, Threshold, Category, Dimension)
