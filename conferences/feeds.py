from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import Conference


class ConferenceFeed(Feed):
    feed_type = Atom1Feed
    title = "Conferences"
    link = "/conferences/"

    def items(self):
        return Conference.objects.order_by("-start_date")[:30]
