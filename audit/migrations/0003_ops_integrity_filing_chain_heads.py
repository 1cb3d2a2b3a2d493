"""Record where each filing's chain ends, and fill the heads in from the events already written.

The backfill trusts the log as it stands at migration time (run `verify_audit` before it if in
doubt); from then on every append moves its heads in the same transaction.
"""

from django.db import migrations, models
from django.db.models import Count, Max


def backfill(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    ChainHead = apps.get_model("audit", "ChainHead")
    FilingChainHead = apps.get_model("audit", "FilingChainHead")
    last = Event.objects.order_by("-sequence").first()
    if last is not None:
        ChainHead.objects.update_or_create(
            pk=1, defaults={"last_sequence": last.sequence, "last_hash": last.hash}
        )
    per_filing = (
        Event.objects.filter(filing_id__isnull=False)
        .values("filing_id")
        .annotate(last_sequence=Max("sequence"), length=Count("pk"))
    )
    for row in per_filing.iterator():
        newest = Event.objects.get(sequence=row["last_sequence"])
        FilingChainHead.objects.create(
            filing_id=row["filing_id"],
            last_sequence=row["last_sequence"],
            last_hash=newest.filing_hash,
            length=row["length"],
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.CreateModel(
            name="FilingChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("filing_id", models.BigIntegerField(unique=True)),
                ("last_sequence", models.BigIntegerField()),
                ("last_hash", models.CharField(max_length=64)),
                ("length", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
