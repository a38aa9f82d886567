from django.core.management import call_command
from django.db import migrations


def ensure_groups(apps, schema_editor):
    # The command reads the models as the code defines them, so that the groups also cover
    # models added after this migration was written.
    call_command("ensure_groups", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0002_history"),
        ("conferences", "0003_history"),
        ("agreements", "0002_history"),
    ]

    operations = [migrations.RunPython(ensure_groups, migrations.RunPython.noop)]
