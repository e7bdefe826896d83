"""Dossiers imported from the National Public Service Portal before `Dossier.origin` existed get their origin
(monitoring counts them as their own channel; run `manage.py monitoring_rebuild` after migrating)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    InboundDossier = apps.get_model("integrations", "InboundDossier")
    imported = InboundDossier.objects.filter(status="imported", dossier__isnull=False).values("dossier_id")
    Dossier.objects.filter(pk__in=imported).update(origin="national_portal")


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_ministry_transfer"),
        ("dossiers", "0009_dossier_origin"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
