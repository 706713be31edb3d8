from django.db import migrations

from municipia.knowledge.sdg import load_taxonomy


def load(apps, schema_editor):
    load_taxonomy(
        apps.get_model("knowledge", "SdgGoal"),
        apps.get_model("knowledge", "SdgTarget"),
        apps.get_model("knowledge", "SdgIndicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
