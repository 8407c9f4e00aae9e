from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from recovery import demo
from recovery.models import Membership, Program, User


def test_seed_demo_creates_the_four_accounts_and_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Program.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Program.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    emails = set(User.objects.values_list("email", flat=True))
    assert {"peer@demo.example", "peer2@demo.example", "supervisor@demo.example", "admin@demo.example"} <= emails
    peer = Membership.objects.get(user__email="peer@demo.example")
    assert peer.role == Membership.Role.PEER
    assert peer.supervisor.email == "supervisor@demo.example"


def test_demo_accounts_use_the_demo_password(db, settings):
    demo.seed()
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="admin@demo.example", password=settings.DEMO_PASSWORD) is not None
