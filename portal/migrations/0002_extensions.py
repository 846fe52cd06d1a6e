from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm serves short and misspelt searches (site search, name look-ups)."""

    dependencies = [("portal", "0001_initial")]
    operations = [TrigramExtension()]
