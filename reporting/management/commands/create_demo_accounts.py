"""Demo accounts for trying the reporting round locally (password "demo").

Refuses to run unless the settings are in DEBUG/demo mode, so production never
gets a known password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from strategy.models import Membership, Organisation
from reporting.roles import ensure_groups

REPORTING_ORGANISATIONS = [
    "lansstyrelsen",
    "polisen",
    "kriminalvarden",
    "aklagarmyndigheten",
    "region-stockholm",
    "arbetsformedlingen",
    "forsakringskassan",
    # A municipality with its own plan, and one of its committees (local plans).
    "sodertalje",
    "sodertalje-socialnamnden",
]
PASSWORD = "demo"
# Demo addresses on a domain reserved for examples (RFC 2606): mails go to the console in DEBUG.
EMAIL_DOMAIN = "example.org"


class Command(BaseCommand):
    help = "Skapar demokonton (lösenord demo): samordnare och en rapportör per rapporterande organisation."

    def handle(self, *args, **options):
        coordinator_group, reporter_group = ensure_groups()
        # Both, so that a stray DEMO_MODE in production settings still creates nothing.
        if not (settings.DEBUG and getattr(settings, "DEMO_MODE", False)):
            self.stdout.write("Demokonton skapas bara i demoläge (DEBUG=1); inga konton skapades.")
            return
        User = get_user_model()
        if not Organisation.objects.filter(slug="lansstyrelsen").exists():
            raise CommandError("Läs in data först: python manage.py load_real_data")
        accounts = [("samordnare", "lansstyrelsen", coordinator_group)] + [
            (slug, slug, reporter_group) for slug in REPORTING_ORGANISATIONS
        ]
        for username, org_slug, group in accounts:
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
            if created:
                user.set_password(PASSWORD)
            if not user.email:
                user.email = f"{username}@{EMAIL_DOMAIN}"
            user.save()
            user.groups.set([group])
            Membership.objects.update_or_create(
                user=user, defaults={"organisation": Organisation.objects.get(slug=org_slug)}
            )
        self.stdout.write(f"Demokonton: {', '.join(a[0] for a in accounts)} (lösenord: {PASSWORD}).")
