"""Load N matters (default 100,000) in bulk and time the county office's review queue and a
unit's matter list, as rendered pages, with their query counts.

    manage.py liaison_benchmark [--count 100000] [--keep]

Benchmark rows have tracking numbers starting with BM and are deleted afterwards unless
--keep. Run it on a development database only.
"""

import datetime
import random
import secrets
import statistics
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Enterprise, Official, Unit

from liaison import workflow
from liaison.models import Matter, MatterCooperation, MatterEvent
from liaison.selectors import review_queue

STATES = [
    (workflow.ARCHIVED, 45),
    (workflow.RATED, 10),
    (workflow.REPLIED, 8),
    (workflow.CLOSED, 1),
    (workflow.ASSIGNED, 12),
    (workflow.HANDLING, 10),
    (workflow.WAITING, 2),
    (workflow.REFERRAL_REQUESTED, 3),
    (workflow.RETURNED, 1),
    (workflow.ACCEPTED, 3),
    (workflow.RECEIVED, 5),
]


class Command(BaseCommand):
    help = "Time the review queue and a unit's matter list with many matters loaded."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark rows.")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, count, keep, runs, **options):
        office_official = Official.objects.filter(role=Official.Role.COUNTY_OFFICE).select_related("user").first()
        town = Unit.objects.towns().order_by("sort_order").first()
        unit_official = (
            Official.objects.filter(unit=town).exclude(role=Official.Role.COUNTY_LEADER).select_related("user").first()
        )
        if office_official is None or unit_official is None:
            raise CommandError("Load the demo first (manage.py seed_demo).")
        existing = Matter.objects.filter(tracking_number__startswith="BM").count()
        if existing < count:
            started = time.monotonic()
            self._load(count - existing)
            self.stdout.write(f"Loaded {count - existing} matters in {time.monotonic() - started:.1f} s.")
        with connection.cursor() as cursor:
            for table in ("liaison_matter", "liaison_mattercooperation", "liaison_matterevent"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(f"Matters in the database: {Matter.objects.count()}")
        try:
            self._measure(
                "review queue (county office)", office_official.user, reverse("admin:liaison_matter_queue"), runs
            )
            self._measure(
                f"matter list ({town.name}, {Matter.objects.for_unit(town).count()} visible)",
                unit_official.user,
                reverse("admin:liaison_matter_changelist"),
                runs,
            )
            self._measure(
                "matter list, filtered: overdue",
                unit_official.user,
                reverse("admin:liaison_matter_changelist") + "?due=overdue",
                runs,
            )
            self._measure(
                "matter list (county office, all)",
                office_official.user,
                reverse("admin:liaison_matter_changelist"),
                runs,
            )
            started = time.monotonic()
            sections = review_queue(office_official.user)
            self.stdout.write(
                f"review_queue selector alone: {1000 * (time.monotonic() - started):.0f} ms; "
                + ", ".join(f"{k}={n}" for k, n, _rows in sections)
            )
        finally:
            if not keep:
                with transaction.atomic():
                    bench = Matter.objects.filter(tracking_number__startswith="BM")
                    MatterEvent.objects.filter(matter__in=bench).delete()
                    MatterCooperation.objects.filter(matter__in=bench).delete()
                    deleted = bench.delete()[0]
                self.stdout.write(f"Removed the benchmark rows ({deleted}).")

    def _client(self, user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    def _measure(self, label, user, url, runs):
        client = self._client(user)
        client.get(url, secure=True)  # warm up
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                times.append(1000 * (time.perf_counter() - started))
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        self.stdout.write(
            f"{label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms, "
            f"{len(ctx.captured_queries)} queries"
        )

    def _load(self, n):
        rng = random.Random(7)
        departments = list(Unit.objects.departments())
        office = Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE).first()
        enterprises = list(Enterprise.objects.values_list("pk", "town_id"))
        now = timezone.now()
        states = [s for s, _w in STATES]
        weights = [w for _s, w in STATES]
        alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
        # Benchmark matters are never followed by tracking number: an unusable code, hashed once.
        no_code = make_password(None)
        batch = 5000
        for start in range(0, n, batch):
            matters = []
            for _ in range(min(batch, n - start)):
                state = rng.choices(states, weights)[0]
                enterprise_id, town_id = rng.choice(enterprises)
                received_by_id = town_id if rng.random() < 0.8 else office.pk
                age = rng.randint(0, 15) if state in workflow.OPEN_STATES else rng.randint(15, 1000)
                received_at = now - datetime.timedelta(days=age, minutes=rng.randint(0, 600))
                assigned = (
                    state
                    not in (
                        workflow.RECEIVED,
                        workflow.ACCEPTED,
                        workflow.REFERRAL_REQUESTED,
                        workflow.RETURNED,
                        workflow.HANDLING,
                    )
                    and rng.random() < 0.6
                )
                lead = rng.choice(departments) if assigned else None
                # Every open clock has its date (the matter_open_has_due_date constraint).
                due = (
                    (received_at.date() + datetime.timedelta(days=rng.randint(3, 14)))
                    if state
                    in (
                        workflow.ACCEPTED,
                        workflow.HANDLING,
                        workflow.REFERRAL_REQUESTED,
                        workflow.ASSIGNED,
                        workflow.RETURNED,
                        workflow.WAITING,
                    )
                    or state in workflow.FINISHED_STATES
                    else None
                )
                finished = state in workflow.FINISHED_STATES
                replied_at = received_at + datetime.timedelta(days=rng.randint(2, 14)) if finished else None
                rating = (
                    rng.choices([5, 4, 3, 2, 1], [50, 30, 10, 6, 4])[0]
                    if state in (workflow.RATED, workflow.ARCHIVED, workflow.CLOSED)
                    else None
                )
                if state == workflow.CLOSED:
                    rating = 1
                matters.append(
                    Matter(
                        tracking_number="BM" + "".join(secrets.choice(alphabet) for _ in range(12)),
                        query_code=no_code,
                        title="基准测试事项",
                        description="用于性能测试的事项。",
                        category=rng.choice(
                            ["financing", "land", "labour", "approval", "utilities", "policy", "complaint", "other"]
                        ),
                        channel=rng.choice(["online", "visit", "phone", "complaint", "meeting"]),
                        state=state,
                        enterprise_id=enterprise_id,
                        received_by_id=received_by_id,
                        lead_unit=lead,
                        responsible_unit_id=lead.pk if lead else received_by_id,
                        received_at=received_at,
                        accept_due=received_at.date() + datetime.timedelta(days=2),
                        accepted_at=received_at if state != workflow.RECEIVED else None,
                        accepted_on_time=(rng.random() < 0.9) if state != workflow.RECEIVED else None,
                        due_date=due,
                        deadline_workdays=5 if due else None,
                        supervised=state in workflow.OPEN_STATES and rng.random() < 0.05,
                        extension_requested_days=(
                            extension := 3 if state == workflow.ASSIGNED and rng.random() < 0.03 else 0
                        ),
                        extension_decide_by=due if extension else None,
                        reassign_due=due if state == workflow.RETURNED else None,
                        supplement_due=due if state == workflow.WAITING else None,
                        replied_at=replied_at,
                        closed_on_time=(rng.random() < 0.85) if finished else None,
                        workdays_to_close=rng.randint(1, 12) if finished else None,
                        rating=rating,
                        rating_reason="不满意" if rating and rating <= 2 else "",
                        rated_at=replied_at if rating else None,
                        referral_reason="超出职权" if state == workflow.REFERRAL_REQUESTED else "",
                        return_reason="不属本单位职责" if state == workflow.RETURNED else "",
                    )
                )
            coop = {}
            for i, m in enumerate(matters):
                if m.lead_unit_id and rng.random() < 0.2:
                    coop[i] = rng.choice(departments)
                m.unit_ids = m.compute_unit_ids([coop[i]] if i in coop else [])
            with transaction.atomic():
                created = Matter.objects.bulk_create(matters, batch_size=batch)
                MatterEvent.objects.bulk_create(
                    [
                        MatterEvent(
                            matter=m,
                            action="create",
                            to_state=workflow.RECEIVED,
                            created_at=m.received_at,
                            actor_unit_id=m.received_by_id,
                            reason="",
                        )
                        for m in created
                    ],
                    batch_size=batch,
                )
                MatterCooperation.objects.bulk_create(
                    [
                        MatterCooperation(matter=created[i], unit=unit)
                        for i, unit in coop.items()
                        if unit.pk != created[i].lead_unit_id
                    ],
                    batch_size=batch,
                    ignore_conflicts=True,
                )
