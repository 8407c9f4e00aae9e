from django.core.management.base import BaseCommand

from recovery import demo


class Command(BaseCommand):
    help = "Create (or complete) the fictional demo program and its accounts. Safe to run again."

    def handle(self, *args, **options):
        ctx = demo.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo program ready: {ctx.program.name}"))
        for email, _, role, _ in demo.ACCOUNTS:
            self.stdout.write(f"  {email:<28} {role.label}")
