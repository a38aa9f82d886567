"""The member map's points moved to a key of their own when they were kept in brotli
(members/map_points.py): the value kept under the old key is read by nothing."""

from django.db import migrations

OLD_KEY = "members:map-points"


def drop_old_points(apps, schema_editor):
    apps.get_model("core", "Aggregate").objects.filter(key=OLD_KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_aggregate_revision"),
        ("members", "0011_search_title_documents"),
    ]

    operations = [migrations.RunPython(drop_old_points, migrations.RunPython.noop)]
