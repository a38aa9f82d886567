import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from .models import Agreement

FEED_LENGTH = 30


class AgreementFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Agreements · %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("Cooperation agreements recorded by %(association)s, newest first.") % {
            "association": settings.ASSOCIATION_SHORT_NAME
        }

    def link(self) -> str:
        return reverse("agreements:agreement-list")

    def items(self):
        return Agreement.objects.public().for_list().order_by("-signed_on", "-pk")[:FEED_LENGTH]

    def item_title(self, item: Agreement) -> str:
        return item.title

    def item_description(self, item: Agreement) -> str:
        names = get_text_list([party.organisation.name for party in item.parties.all()], _("and"))
        between = _("%(kind)s between %(parties)s.") % {
            "kind": item.get_kind_display(),
            "parties": names,
        }
        return f"{between}\n\n{item.summary}" if item.summary else between

    def item_pubdate(self, item: Agreement) -> datetime.datetime:
        return datetime.datetime.combine(item.signed_on, datetime.time.min, tzinfo=datetime.UTC)

    def item_updateddate(self, item: Agreement) -> datetime.datetime:
        return item.modified

    def item_categories(self, item: Agreement) -> list[str]:
        return [topic.name for topic in item.topics.all()]
