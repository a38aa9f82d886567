import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as Asia/Shanghai."),
            code="invalid_time_zone",
            params={"value": value},
        )
