"""Data: the daily dossier code counters (TT 01/2018 art. 19) move to the one gap-free `common.Sequence`,
under the key `dossier-code/<agency id>/<YYYY-MM-DD>`, their last values unchanged.

Schema change (dropping the old table) in the next migration; reversible (the rows are copied back).
"""

import datetime

from django.db import migrations

PREFIX = "dossier-code/"


def forwards(apps, schema_editor):
    counter, sequence = apps.get_model("dossiers", "DossierCodeSequence"), apps.get_model("common", "Sequence")
    sequence.objects.bulk_create(
        [sequence(key=f"{PREFIX}{row.agency_id}/{row.day:%Y-%m-%d}", value=row.last) for row in counter.objects.all()],
        batch_size=1000)


def backwards(apps, schema_editor):
    counter, sequence = apps.get_model("dossiers", "DossierCodeSequence"), apps.get_model("common", "Sequence")
    rows = []
    for row in sequence.objects.filter(key__startswith=PREFIX):
        agency_id, scope = row.key.removeprefix(PREFIX).split("/")
        rows.append(counter(agency_id=int(agency_id), day=datetime.date.fromisoformat(scope), last=row.value))
    counter.objects.bulk_create(rows, batch_size=1000)
    sequence.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_sequence"),
        ("dossiers", "0004_list_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
