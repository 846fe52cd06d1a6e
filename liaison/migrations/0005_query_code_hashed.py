"""Query codes are stored like passwords from now on.

ONE-WAY in substance: a hash cannot be turned back into the code. Going forward hashes every
code still stored in clear; going back cannot restore them, so it gives each matter a new
random code in clear (the enterprises' old codes stop working; re-issue them by hand).
Forward uses PBKDF2 with few iterations so that a large table migrates in minutes; the first
successful lookup re-hashes the code with the full default cost (check_password's setter)."""

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import migrations, models

MIGRATION_ITERATIONS = 10_000
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def hash_codes(apps, schema_editor):
    Matter = apps.get_model("liaison", "Matter")
    hasher = PBKDF2PasswordHasher()
    batch = []
    for pk, code in Matter.objects.exclude(query_code__contains="$").values_list("pk", "query_code").iterator():
        encoded = hasher.encode(code, hasher.salt(), iterations=MIGRATION_ITERATIONS)
        batch.append(Matter(pk=pk, query_code=encoded))
        if len(batch) >= 1000:
            Matter.objects.bulk_update(batch, ["query_code"])
            batch = []
    Matter.objects.bulk_update(batch, ["query_code"])


def new_clear_codes(apps, schema_editor):
    Matter = apps.get_model("liaison", "Matter")
    batch = [
        Matter(pk=pk, query_code="".join(secrets.choice(ALPHABET) for _ in range(8)))
        for pk in Matter.objects.filter(query_code__contains="$").values_list("pk", flat=True)
    ]
    Matter.objects.bulk_update(batch, ["query_code"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0004_every_clock_has_a_date"),
    ]

    operations = [
        migrations.AlterField(
            model_name="matter",
            name="query_code",
            field=models.CharField(editable=False, max_length=128, verbose_name="query code"),
        ),
        migrations.RunPython(hash_codes, new_clear_codes, elidable=False),
    ]
