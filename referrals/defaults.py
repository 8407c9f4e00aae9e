"""The shipped resource categories (issue 17), loaded by a data migration; programs add their own."""

from __future__ import annotations

CATEGORIES = [
    ("housing", "Housing"),
    ("recovery-housing", "Recovery housing"),
    ("moud", "Treatment and medication for opioid use disorder"),
    ("withdrawal", "Withdrawal management"),
    ("mental-health", "Mental health"),
    ("crisis-lines", "Crisis lines"),
    ("mutual-aid", "Mutual-aid meetings"),
    ("employment", "Employment"),
    ("education", "Education"),
    ("food", "Food"),
    ("transportation", "Transportation"),
    ("legal-aid", "Legal aid"),
    ("benefits", "Benefits"),
    ("health-care", "Health care"),
    ("harm-reduction", "Harm reduction and naloxone"),
    ("family-support", "Family support"),
]


def categories_load(Category) -> None:
    """Create the shipped categories that are missing (idempotent; renamed ones are left as they are)."""
    for position, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(program=None, code=code, defaults={"name": name, "position": position * 10})
