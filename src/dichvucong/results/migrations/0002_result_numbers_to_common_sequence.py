"""Data: the result number counters (per agency and year) move to the one gap-free `common.Sequence`, under the
key `result-number/<agency id>/<year>`, their last values unchanged.

Schema change (dropping the old table) in the next migration; reversible (the rows are copied back).
"""

from django.db import migrations

PREFIX = "result-number/"


def forwards(apps, schema_editor):
    counter, sequence = apps.get_model("results", "ResultNumberCounter"), apps.get_model("common", "Sequence")
    sequence.objects.bulk_create(
        [sequence(key=f"{PREFIX}{row.agency_id}/{row.year}", value=row.last) for row in counter.objects.all()],
        batch_size=1000)


def backwards(apps, schema_editor):
    counter, sequence = apps.get_model("results", "ResultNumberCounter"), apps.get_model("common", "Sequence")
    rows = []
    for row in sequence.objects.filter(key__startswith=PREFIX):
        agency_id, scope = row.key.removeprefix(PREFIX).split("/")
        rows.append(counter(agency_id=int(agency_id), year=int(scope), last=row.value))
    counter.objects.bulk_create(rows, batch_size=1000)
    sequence.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_sequence"),
        ("results", "0001_electronic_results_and_delivery"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
