"""The first step of a real county (docs/go-live.md): its government and government office as
units, and the first county-office account, opened with a one-time link that leads to setting
the password and the authenticator. No demo data; the rest comes from the imports."""

import segno
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from portal.models import Official, Unit
from portal.core.onboarding import link_days, official_save, welcome_url


class Command(BaseCommand):
    help = (
        "Start a county with no demo data: the county government and its office, and the first county-office "
        "account with a one-time link (printed, with its QR code) to set its password and authenticator."
    )

    def add_arguments(self, parser):
        county = settings.COUNTY_NAME
        parser.add_argument("--username", default="county_office", help="User name of the first account.")
        parser.add_argument("--name", default="县政府办管理员", help="The account holder's name.")
        parser.add_argument("--email", default="", help="E-mail of the account holder (optional).")
        parser.add_argument("--government", default=f"{county}人民政府", help="Name of the county government unit.")
        parser.add_argument("--office", default=f"{county}人民政府办公室", help="Name of the county office unit.")
        parser.add_argument(
            "--first-time",
            action="store_true",
            help="Do nothing if the database already holds units (for ./run start --empty).",
        )
        parser.add_argument("--no-qr", action="store_true", help="Print the link without its QR code.")

    def handle(self, *args, username, name, email, government, office, first_time=False, no_qr=False, **options):
        if first_time and Unit.objects.exists():
            self.stdout.write("The county is already set up; skipping.")
            return
        with transaction.atomic():
            Unit.objects.get_or_create(
                name=government, defaults={"kind": Unit.Kind.COUNTY_GOVERNMENT, "short_name": "县政府", "sort_order": 1}
            )
            office_unit, _created = Unit.objects.get_or_create(
                name=office, defaults={"kind": Unit.Kind.COUNTY_OFFICE, "short_name": "县政府办", "sort_order": 2}
            )
            if not office_unit.is_county_office:
                raise CommandError(f"{office} exists but is not the county office.")
            official, created = official_save(
                username=username, name=name, unit=office_unit, role=Official.Role.COUNTY_OFFICE, email=email
            )
        if not created and official.user.has_usable_password():
            raise CommandError(f"The account {username} is already open; use the workspace to manage accounts.")
        url = welcome_url(official.user)
        self.stdout.write(self.style.SUCCESS(f"County set up: {government}, {office}; account “{username}”."))
        self.stdout.write(
            f"Open this one-time link within {link_days()} days to choose the password and set up the "
            "authenticator app:"
        )
        self.stdout.write(f"\n    {url}\n")
        if not no_qr:
            qr = segno.make(url, error="l")
            qr.terminal(out=self.stdout._out, compact=True)
        base = settings.SITE_BASE_URL.rstrip("/")
        self.stdout.write(
            f"Then import the county's spreadsheets, in this order (docs/go-live.md): units "
            f"{base}{reverse('admin:portal_unit_import')}, enterprises, officials, policies, guide items."
        )
