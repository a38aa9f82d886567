from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .models import Conference
from .templatetags.conference_tags import date_range, edition_label

FEED_LENGTH = 30


class ConferenceFeed(Feed):
    feed_type = Atom1Feed
    title = _("Conferences")
    subtitle = _("World and division conferences, newest first.")
    link = reverse_lazy("conferences:conference-list")
    feed_url = reverse_lazy("conferences:conference-feed")

    def author_name(self) -> str:
        return settings.ASSOCIATION_NAME

    def items(self):
        return (
            Conference.objects.published().for_feed().order_by("-start_date", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Conference) -> str:
        return item.title

    def item_description(self, item: Conference) -> str:
        place = ", ".join(part for part in (item.city, item.country.name) if part)
        lines = [f"{edition_label(item)} · {date_range(item)} · {place}", item.theme]
        lines.append(Truncator(item.description).words(80))
        # Atom declares the summary as HTML: escaped paragraphs, not bare text.
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines if line))

    def item_pubdate(self, item: Conference):
        return item.created

    def item_updateddate(self, item: Conference):
        return item.modified

    def item_categories(self, item: Conference) -> list[str]:
        return [item.get_kind_display(), *(topic.name for topic in item.topics.all())]
