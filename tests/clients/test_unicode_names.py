# ruff: noqa: RUF001 - look-alike letters of other scripts are what these tests are about
"""Names in every script (security hardening, point 2): intake, edit, the duplicate check and the caseload
search take any Unicode name; a "name" without a letter is an error at the field, never a server error."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.apps import apps as current_apps
from django.urls import reverse

from clients.models import Client
from clients.names import NAME_NEEDS_A_LETTER, name_key
from tests.factories import ClientFactory, days

BORN = datetime.date(1988, 6, 1)

# (script, name as enrolled, the same name as someone else types it, a search for it)
SCRIPTS = [
    ("Latin with accents", "Zoë Ångström-Núñez", "ZOE angstrom nunez", "nun ang"),
    ("Cyrillic", "Мария Иванова", "мария ИВАНОВА", "иван"),
    ("Greek", "Ελένη Παπαδοπούλου", "ελενη παπαδοπουλου", "ΠΑΠΑ"),
    ("Arabic", "مُحَمَّد الأَحمد", "محمد الأحمد", "محم"),
    ("Hebrew", "שָׂרָה כֹּהֵן", "שרה כהן", "כה"),
    ("Devanagari", "प्रिया शर्मा", "प्रिया  शर्मा", "शर्"),
    ("Han", "王小明", "王小明", "王"),
    ("Hiragana and Katakana", "さくら ヤマダ", "さくら ﾔﾏﾀﾞ", "ヤマ さく"),
    ("Hangul", "김민준", "김민준", "김민"),
    ("Thai", "สมชาย ใจดี", "สมชาย ใจดี", "สมช"),
    ("Georgian", "ნინო ბერიძე", "ნინო ბერიძე", "ბერ"),
    ("Armenian", "Արամ Պետրոսյան", "արամ պետրոսյան", "ՊԵՏ"),
    ("Ethiopic", "አበበ ቢቂላ", "አበበ ቢቂላ", "ቢቂ"),
    ("combining marks", "Jose\u0301 Nin\u0303o", "José Niño", "nino"),
    ("full-width", "ＭＡＲＩＡ Ｌｏｐｅｚ", "maria lopez", "LOP"),
    ("Turkish dotted I", "İpek Işık", "ipek isik", "IPEK"),
    ("German sharp s", "Gretchen Straße", "gretchen strasse", "STRASS"),
    ("mixed scripts", "Анна Smith 李", "АННА SMITH 李", "smi ан"),
]
NO_LETTERS = ["😀🎉", "1234", "-- . --", "🙂 42", "\u0301\u0303"]


def person(full_name: str, **overrides) -> dict:
    data = {"full_name": full_name, "preferred_name": "", "pronouns": "", "birth_date": BORN.isoformat(),
            "phone": "", "email": "", "address": "", "preferred_contact_method": "", "preferred_contact_times": "",
            "emergency_contact_name": "", "emergency_contact_relationship": "", "emergency_contact_phone": "",
            "started_on": days(0).isoformat(), "referral_source": "self", "referral_detail": "",
            "form_token": str(uuid.uuid4())}
    return {**data, **overrides}


def edit_data(full_name: str) -> dict:
    data = person(full_name)
    for key in ("started_on", "referral_source", "referral_detail", "form_token"):
        del data[key]
    return data


def search(client, text: str):
    """The caseload search as the page sends it: posted, then the results page."""
    return client.post(reverse("clients:caseload"), {"q": text}, follow=True)


def names(response) -> set[str]:
    return {row.full_name for row, _ in response.context["rows"]}


@pytest.mark.parametrize(("script", "name", "typed", "query"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_a_name_in_any_script_enrols_is_caught_as_a_duplicate_and_found(login, peer, script, name, typed, query):
    client = login(peer)
    response = client.post(reverse("clients:intake"), person(name))
    assert response.status_code == 302, response.context and response.context["form"].errors
    enrolled = Client.objects.get()
    assert enrolled.full_name == name and enrolled.name_key == name_key(typed) != ""

    again = client.post(reverse("clients:intake"), person(typed))
    assert again.status_code == 200 and [m.pk for m in again.context["form"].matches] == [enrolled.pk]
    assert Client.objects.count() == 1

    assert names(search(client, query)) == {name}
    assert names(search(client, typed)) == {name}


@pytest.mark.parametrize(("script", "name", "typed", "query"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_a_participant_is_renamed_into_any_script(login, peer, program, script, name, typed, query):
    participant = ClientFactory(program=program, primary_peer=peer, full_name="Placeholder Name", birth_date=BORN)
    client = login(peer)
    response = client.post(reverse("clients:edit", args=[participant.uuid]), edit_data(name))
    assert response.status_code == 302, response.context and response.context["form"].errors
    participant.refresh_from_db()
    assert participant.full_name == name and participant.name_key == name_key(typed)
    assert names(search(client, query)) == {name}
    assert not Client.objects.possible_duplicates(program_id=program.pk, full_name="Placeholder Name",
                                                  birth_date=BORN).exists()


@pytest.mark.parametrize("typed", NO_LETTERS)
def test_a_name_without_a_letter_is_an_error_at_the_field(login, peer, program, typed):
    client = login(peer)
    response = client.post(reverse("clients:intake"), person(typed))
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == [NAME_NEEDS_A_LETTER]
    assert NAME_NEEDS_A_LETTER in response.content.decode()
    assert response.context["form"]["full_name"].value() == typed  # the typed data is kept
    assert not Client.objects.exists()

    participant = ClientFactory(program=program, primary_peer=peer, full_name="Kept Name")
    response = client.post(reverse("clients:edit", args=[participant.uuid]), edit_data(typed))
    assert response.status_code == 200 and response.context["form"].errors["full_name"] == [NAME_NEEDS_A_LETTER]
    participant.refresh_from_db()
    assert participant.full_name == "Kept Name"


def test_a_preferred_name_without_a_letter_is_an_error_at_its_field(login, peer):
    response = login(peer).post(reverse("clients:intake"), person("Ana Lima", preferred_name="🌻"))
    assert response.status_code == 200
    assert response.context["form"].errors["preferred_name"] == [NAME_NEEDS_A_LETTER]


@pytest.mark.parametrize(("one", "other"), [
    ("Мария", "мария"), ("José", "jose"), ("ＡＢＣ", "abc"), ("İstanbul", "istanbul"), ("Straße", "STRASSE"),
    ("ΣΊΣΥΦΟΣ", "σίσυφος"), ("ﬁona", "fiona"), ("Ǆemal", "džemal"), ("Ⅻ", "xii"),
])
def test_name_keys_fold_case_marks_and_compatibility_forms(one, other):
    assert name_key(one) == name_key(other) != ""


def test_names_differing_only_in_script_are_not_confused():
    assert name_key("Мария") != name_key("Maria")  # Cyrillic and Latin letters stay themselves
    assert name_key("王小明") != name_key("王小")


def test_a_name_whose_key_expands_past_the_column_is_cut_not_refused(login, peer):
    response = login(peer).post(reverse("clients:intake"), person("\ufdfa" * 150))  # an 18-letter ligature
    assert response.status_code == 302
    enrolled = Client.objects.get()
    assert 0 < len(enrolled.name_key) <= 200 and len(enrolled.search_text) <= 300


def test_search_matches_the_stored_words_whatever_the_database_lowercases(peer, program):
    # Cherokee casefolds to its capital letters; PostgreSQL's lower() would turn them the other way.
    ClientFactory(program=program, primary_peer=peer, full_name="ᏣᎳᎩ Ꮎ", birth_date=BORN)
    assert Client.objects.search("ꮳꮃꭹ").count() == 1
    assert Client.objects.search("ᏣᎳ").count() == 1


def test_the_migration_recomputes_existing_name_keys(peer, program):
    import importlib

    migration = importlib.import_module("clients.migrations.0006_unicode_name_keys")
    stale = ClientFactory(program=program, primary_peer=peer, full_name="Мария Lopez", preferred_name="Маша")
    Client.objects.filter(pk=stale.pk).update(name_key="lopez", search_text="lopez")
    migration.recompute_name_keys(current_apps, None)
    stale.refresh_from_db()
    assert (stale.name_key, stale.search_text) == ("мария lopez", "мария lopez маша")
