from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .models import Agreement


class AgreementFeed(Feed):
    feed_type = Atom1Feed
    title = "Agreements"
    link = "/agreements/"

    def items(self):
        return Agreement.objects.public()[:30]
