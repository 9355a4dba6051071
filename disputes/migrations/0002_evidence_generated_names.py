"""Evidence files move to generated names with the checked format's extension.

Files stored before kept the uploader's name and extension (evidence/YYYY/MM/x.html); each is
copied to evidence/<random>.<ext of its checked content type> and the old file removed. A row
whose file is missing is left as it is (the access-checked view answers 404 for it).
"""

import uuid

from django.core.files.storage import default_storage
from django.db import migrations, models

import disputes.models

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def rename_files(apps, schema_editor):
    Evidence = apps.get_model("disputes", "Evidence")
    for evidence in Evidence.objects.exclude(image="").iterator():
        old = evidence.image.name
        extension = EXTENSIONS.get(evidence.content_type)
        if extension is None or not default_storage.exists(old):
            continue
        with default_storage.open(old, "rb") as source:
            new = default_storage.save(f"evidence/{uuid.uuid4().hex}.{extension}", source)
        Evidence.objects.filter(pk=evidence.pk).update(image=new)
        default_storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="image",
            field=models.ImageField(upload_to=disputes.models.evidence_upload_to),
        ),
        migrations.RunPython(rename_files, migrations.RunPython.noop, elidable=True),
    ]
