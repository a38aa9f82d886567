from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = settings.ASSOCIATION_SHORT_NAME + " — Science Parks Portal"
admin.site.site_title = "Science Parks Portal"
admin.site.index_title = "Records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("conferences.urls")),
    path("", include("members.urls")),
    path("agreements/", include("agreements.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
