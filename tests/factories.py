"""factory_boy factories shared by every test module. Each app's factories live in its own section."""

from __future__ import annotations

import factory
from django.conf import settings

from recovery.models import Membership, Notification, Program, User

PASSWORD = "correct horse battery staple"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Program {n}")
    organization = "Test Community Services Board"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    role = Membership.Role.PEER


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"Notification {n}")
    url = "/"


def make_staff(program: Program, role: str, *, supervisor: User | None = None, **user_fields) -> User:
    """A user with an active membership in ``program``."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, program=program, role=role, supervisor=supervisor)
    return user


assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher"), "tests must use the fast hasher"
