"""Demo outcomes (filled in later)."""


def seed(ctx) -> None:
    return None
