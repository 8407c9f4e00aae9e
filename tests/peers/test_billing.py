"""Billing eligibility: a valid credential whose type makes its holder billable, on the date asked."""

from datetime import timedelta

from peers.models import Credential
from peers.services import is_billable
from tests.factories import CPRS, RPRS, CredentialFactory, default_type


def test_a_valid_registration_makes_a_peer_billable(frozen_today, program, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=100)
    assert is_billable(peer, program, frozen_today)


def test_a_credential_that_does_not_make_billable_does_not_count(frozen_today, program, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(CPRS), today=frozen_today, expires_in=100)
    assert not is_billable(peer, program, frozen_today)


def test_billable_from_the_issue_date_through_the_expiry_date(frozen_today, program, peer, program_membership):
    credential = CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today,
                                   expires_in=0)
    assert is_billable(peer, program, credential.issued_on)
    assert not is_billable(peer, program, credential.issued_on - timedelta(days=1))
    assert is_billable(peer, program, credential.expires_on)
    assert not is_billable(peer, program, credential.expires_on + timedelta(days=1))


def test_an_ended_credential_stops_counting_on_its_end_date(frozen_today, program, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=100,
                      ended_on=frozen_today, end_reason=Credential.EndReason.REVOKED)
    assert is_billable(peer, program, frozen_today - timedelta(days=1))
    assert not is_billable(peer, program, frozen_today)


def test_a_credential_in_training_is_not_billable(frozen_today, program, peer, program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), in_training=True)
    assert not is_billable(peer, program, frozen_today)


def test_billable_in_one_program_says_nothing_of_another(frozen_today, program, other_program, peer,
                                                         program_membership):
    CredentialFactory(membership=program_membership(peer), type=default_type(RPRS), today=frozen_today, expires_in=100)
    assert not is_billable(peer, other_program, frozen_today)


def test_someone_elses_registration_does_not_count(frozen_today, program, peer, other_peer, program_membership):
    CredentialFactory(membership=program_membership(other_peer), type=default_type(RPRS), today=frozen_today,
                      expires_in=100)
    assert not is_billable(peer, program, frozen_today)
