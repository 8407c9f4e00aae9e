"""The recovery dimensions goals are tagged with: the defaults each program gets (its admins edit its list).

Sources: SAMHSA's working definition of recovery (four dimensions: Health, Home, Purpose, Community)
and SAMHSA's eight dimensions of wellness (DOMAIN.md, "Recovery plans").
"""

from __future__ import annotations

from recovery.reference import missing_created

# (code, framework, position, name, description)
DEFAULT_DIMENSIONS: list[tuple[str, str, int, str, str]] = [
    ("health", "recovery", 1, "Health",
     "Managing one's conditions or symptoms and making informed, healthy choices."),
    ("home", "recovery", 2, "Home", "A stable and safe place to live."),
    ("purpose", "recovery", 3, "Purpose",
     "Meaningful daily activities (work, school, volunteering, caring for family, creative work) and the "
     "independence, income and resources to take part in society."),
    ("community", "recovery", 4, "Community", "Relationships and social networks that give support, friendship, "
     "love and hope."),
    ("emotional", "wellness", 1, "Emotional", "Coping effectively with life and creating satisfying relationships."),
    ("environmental", "wellness", 2, "Environmental",
     "Pleasant, stimulating surroundings that support well-being."),
    ("financial", "wellness", 3, "Financial", "Satisfaction with current and future financial situations."),
    ("intellectual", "wellness", 4, "Intellectual",
     "Recognizing creative abilities and finding ways to expand knowledge and skills."),
    ("occupational", "wellness", 5, "Occupational", "Personal satisfaction and enrichment from one's work."),
    ("physical", "wellness", 6, "Physical", "Physical activity, healthy foods and sleep."),
    ("social", "wellness", 7, "Social", "A sense of connection and belonging, and a support system."),
    ("spiritual", "wellness", 8, "Spiritual", "A sense of purpose and meaning in life."),
]


def dimensions_load_defaults(dimension_model, program=None) -> None:
    """Create the ``program``'s missing default dimensions (``dimension_model`` may be a migration's model).

    Without a program: the install-wide rows of the models before dimensions were per program (migration
    0002 only).
    """
    scope = {"program_id": program.pk} if program is not None else {}
    missing_created(dimension_model, "code", [
        {"code": code, "framework": framework, "position": position, "name": name, "description": description}
        for code, framework, position, name, description in DEFAULT_DIMENSIONS], **scope)
