"""``manage.py createprogram "Name" --admin-email a@b.org``: a new program, with its default rules and
reference data, and a one-time invitation link for its first admin (printed, and emailed)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recovery.invitations import program_create


class Command(BaseCommand):
    help = ("Create a program with its default rules and reference data and print a one-time invitation link "
            "for its first admin.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="The program's name, as staff will see it.")
        parser.add_argument("--admin-email", required=True, help="The first program admin's email address.")
        parser.add_argument("--admin-name", default="", help="The first admin's full name (they can change it).")
        parser.add_argument("--organization", default="", help="The organization that runs the program.")
        parser.add_argument("--time-zone", default="", help="For example America/New_York (the default).")
        parser.add_argument("--no-email", action="store_true",
                            help="Only print the link (no mail server configured yet).")

    def handle(self, *args, name, admin_email, admin_name, organization, time_zone, no_email, **options):
        try:
            sent = program_create(name=name, admin_email=admin_email, admin_name=admin_name,
                                  organization=organization, time_zone=time_zone, send_email=not no_email)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        program = sent.invitation.program
        self.stdout.write(self.style.SUCCESS(f"Program created: {program.name}"))
        self.stdout.write(f"Invitation for its first admin ({sent.invitation.email}), valid until "
                          f"{sent.invitation.expires_at:%Y-%m-%d %H:%M} UTC, usable once:")
        self.stdout.write(sent.link)
