from django.conf import settings


def site(request) -> dict:
    return {
        "ASSOCIATION_NAME": settings.ASSOCIATION_NAME,
        "ASSOCIATION_SHORT_NAME": settings.ASSOCIATION_SHORT_NAME,
        "SITE_NAME": settings.SITE_NAME,
    }
