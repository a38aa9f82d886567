from django.db import migrations

from core.db.search_document import AddTitleSearchIndex


class Migration(migrations.Migration):
    dependencies = [("conferences", "0008_search_conference_recent_order")]

    operations = [
        AddTitleSearchIndex("conferences_conference", "title"),
        AddTitleSearchIndex("conferences_session", "title"),
    ]
