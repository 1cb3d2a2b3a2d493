"""Filing.has_reviewer (filings 0021) starts true on every filing with an active, unconflicted
assignment; from then on reviews.services.assignments keeps it true."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def backfill(apps, schema_editor):
    Filing = apps.get_model("filings", "Filing")
    Assignment = apps.get_model("reviews", "Assignment")
    active = Assignment.objects.filter(filing_id=OuterRef("pk"), active=True, conflict_declared=False)
    Filing.objects.update(has_reviewer=Exists(active))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_assignment_active_index"),
        ("filings", "0021_has_reviewer"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
