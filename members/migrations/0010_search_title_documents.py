from django.db import migrations

from core.db.search_document import AddTitleSearchIndex


class Migration(migrations.Migration):
    dependencies = [("members", "0009_privacy_search_document")]

    operations = [
        AddTitleSearchIndex("members_organisation", "name"),
        AddTitleSearchIndex("members_person", "name"),
    ]
