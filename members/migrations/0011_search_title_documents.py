from django.db import migrations

from core.db.search_document import AddTitleSearchIndex


class Migration(migrations.Migration):
    dependencies = [("members", "0010_list_order_indexes")]

    operations = [
        AddTitleSearchIndex("members_organisation", "name"),
        AddTitleSearchIndex("members_person", "name"),
    ]
