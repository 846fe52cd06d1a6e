from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0003: PostgreSQL refuses ALTER TABLE while 0003's updates have pending
    trigger events in the same transaction."""

    dependencies = [
        ("liaison", "0003_clock_dates"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="matter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        (
                            "state__in",
                            ["accepted", "handling", "referral_requested", "assigned", "returned", "waiting"],
                        ),
                        _negated=True,
                    ),
                    ("due_date__isnull", False),
                    _connector="OR",
                ),
                name="matter_open_has_due_date",
                violation_error_message="An open matter needs a due date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="matter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "returned"), _negated=True), ("reassign_due__isnull", False), _connector="OR"
                ),
                name="matter_returned_has_due",
                violation_error_message="A returned matter needs a date to be assigned again by.",
            ),
        ),
        migrations.AddConstraint(
            model_name="matter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "waiting"), _negated=True), ("supplement_due__isnull", False), _connector="OR"
                ),
                name="matter_waiting_has_due",
                violation_error_message="A matter waiting for the enterprise needs a date.",
            ),
        ),
        migrations.AddConstraint(
            model_name="matter",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("extension_requested_days", 0), ("extension_decide_by__isnull", False), _connector="OR"
                ),
                name="matter_extension_request_has_due",
                violation_error_message="An extension request needs a date to be decided by.",
            ),
        ),
    ]
