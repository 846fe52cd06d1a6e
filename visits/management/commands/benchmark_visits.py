"""Load N visits (200,000 by default) and time the coverage page and the visit changelist,
with their query counts. Runs in a transaction that is rolled back (unless --keep), so the
database is left as it was. Needs the demo county (`seed_demo`) for units and officials."""

import datetime
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Enterprise, Official, Unit
from portal.core.validators import USCC_CHARSET, uscc_check_character
from visits.models import LiaisonAssignment, Visit, VisitParticipant


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the coverage page and the visit changelist with many visits (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, default=200_000)
        parser.add_argument("--enterprises", type=int, default=3000, help="extra enterprises to spread visits over")
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="commit the generated data")
        parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of each page")

    def handle(self, *args, visits, enterprises, repeat, keep, slowest=0, **options):
        self.slowest = slowest
        towns = list(Unit.objects.towns().order_by("sort_order"))
        if not towns:
            raise CommandError("Load the demo county first: manage.py seed_demo")
        self.settings_for_client()
        try:
            with transaction.atomic():
                self.load(towns, visits, enterprises)
                self.measure(repeat)
                if not keep:
                    raise Rollback
        except Rollback:
            self.stdout.write("Rolled back the generated data.")

    def settings_for_client(self):
        from django.conf import settings

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = list(settings.ALLOWED_HOSTS) + ["testserver"]

    def load(self, towns, count, extra_enterprises):
        rng = random.Random(42)
        started = time.monotonic()
        new = []
        for i in range(extra_enterprises):
            body = "91441827" + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
            new.append(
                Enterprise(
                    name=f"基准测试企业{i:05d}有限公司",
                    uscc=body + uscc_check_character(body),
                    town=towns[i % len(towns)],
                    industry="C",
                    scale="small",
                    is_key=False,
                )
            )
        Enterprise.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        User = get_user_model()
        users = User.objects.bulk_create(
            [User(username=f"bench_cadre_{i}", is_staff=True) for i in range(300)], batch_size=1000
        )
        officials = Official.objects.bulk_create(
            [
                Official(user=u, unit=towns[i % len(towns)], role=Official.Role.UNIT_STAFF, name=f"基准干部{i}")
                for i, u in enumerate(users)
            ],
            batch_size=1000,
        )
        by_town = {}
        for e in Enterprise.objects.filter(name__startswith="基准测试企业").values("id", "town_id"):
            by_town.setdefault(e["town_id"], []).append(e["id"])
        pairs = []
        start = datetime.date(2024, 10, 1)
        assignments = []
        for i, official in enumerate(officials):
            for enterprise_id in by_town[official.unit_id][(i // len(towns)) * 10 : (i // len(towns)) * 10 + 10]:
                assignments.append(
                    LiaisonAssignment(
                        official=official,
                        enterprise_id=enterprise_id,
                        unit_id=official.unit_id,
                        kind="cadre",
                        start_date=start,
                    )
                )
                pairs.append((official, enterprise_id))
        LiaisonAssignment.objects.bulk_create(assignments, batch_size=2000)
        days = (timezone.localdate() - start).days
        made = 0
        while made < count:
            batch, who = [], []
            for _ in range(min(10_000, count - made)):
                official, enterprise_id = rng.choice(pairs)
                who.append(official.pk)
                batch.append(
                    Visit(
                        unit_id=official.unit_id,
                        enterprise_id=enterprise_id,
                        date=start + datetime.timedelta(days=rng.randint(0, days)),
                        met_persons="基准测试",
                        form="onsite",
                        operation="normal",
                    )
                )
            Visit.objects.bulk_create(batch, batch_size=5000)
            VisitParticipant.objects.bulk_create(
                [
                    VisitParticipant(visit=v, official_id=o, enterprise_id=v.enterprise_id, date=v.date)
                    for v, o in zip(batch, who)
                ],
                batch_size=5000,
            )
            made += len(batch)
        with connection.cursor() as cursor:
            for table in ("visits_visit", "visits_visitparticipant", "visits_liaisonassignment", "portal_enterprise"):
                cursor.execute(f"ANALYZE {table}")
        self.stdout.write(
            f"Loaded {count:,} visits, {len(assignments):,} assignments, {len(new):,} enterprises, "
            f"{len(officials)} officials in {time.monotonic() - started:.1f}s "
            f"(visits in the database: {Visit.objects.count():,})."
        )

    def measure(self, repeat):
        User = get_user_model()
        superuser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
            "bench_admin", "bench@example.gov.cn", "x"
        )
        town_staff = (
            User.objects.filter(username="taihe_staff").first()
            or User.objects.filter(official__unit__kind="town").first()
        )
        pages = [
            ("admin index (baseline, no visits)", superuser, reverse("admin:index")),
            ("coverage, whole county (superuser)", superuser, reverse("visits:coverage")),
            ("coverage, one town (town cadre)", town_staff, reverse("visits:coverage")),
            ("visit changelist (superuser)", superuser, reverse("admin:visits_visit_changelist")),
            ("visit changelist, page 100 (superuser)", superuser, reverse("admin:visits_visit_changelist") + "?p=100"),
            ("visit changelist (town cadre)", town_staff, reverse("admin:visits_visit_changelist")),
            (
                "visit changelist search (superuser)",
                superuser,
                reverse("admin:visits_visit_changelist")
                + "?q=%E5%9F%BA%E5%87%86%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A00042",
            ),
        ]
        for label, user, url in pages:
            client = Client()
            client.force_login(user)
            response = client.get(url)  # warm up
            if response.status_code != 200:
                raise CommandError(f"{label}: HTTP {response.status_code}")
            timings, queries = [], None
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                queries = len(captured)
            self.stdout.write(
                f"{label:45s} median {statistics.median(timings):8.1f} ms   "
                f"max {max(timings):8.1f} ms   {queries} queries"
            )
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[: self.slowest]:
                self.stdout.write(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:1500]}")
