from django.urls import path

from . import feeds, views

app_name = "conferences"

# A conference's own page also shows the agreements signed at it: portal/urls.py adds it
# to this namespace.
urlpatterns = [
    path("conferences/", views.ConferenceListView.as_view(), name="conference-list"),
    path("conferences/feed.atom", feeds.ConferenceFeed(), name="conference-feed"),
    path(
        "conferences/upcoming.ics",
        views.UpcomingCalendarView.as_view(),
        name="upcoming-calendar",
    ),
    path(
        "conferences/<slug:slug>/calendar.ics",
        views.ConferenceCalendarView.as_view(),
        name="conference-ics",
    ),
]
