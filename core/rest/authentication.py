import hashlib

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def token_model():
    """The model of API tokens, named by settings.API_TOKEN_MODEL as AUTH_USER_MODEL names users.

    The kernel reads a token only through what it says of itself (`can_write`, `user`,
    `is_expired`, `revoked_at`, `record_use()`), never through the app that issues it.
    """
    return apps.get_model(settings.API_TOKEN_MODEL, require_ready=False)


def hash_key(key: str) -> str:
    # The keys are long random strings, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts a refused token against the anonymous rate of the caller's address.

    Authentication runs before the throttles, so without this a caller trying keys would
    never be limited. The bucket is the one CallerRateThrottle uses for anonymous calls.
    """

    scope = "anon"

    def __init__(self):
        # The rate is read at each request, as CallerRateThrottle does.
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate in (None, "", "none"):
            return True
        from .throttling import CallerRateThrottle  # it imports this module

        self.cache = CallerRateThrottle.cache  # the same store, whatever it is
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`).

    A partner's read token authenticates no user: it only identifies the caller for rate
    limits. A write token acts as its staff member. A refused token costs the caller's
    address one anonymous request; past the anonymous rate the answer is a 429.
    """

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise self.refused(request, _("Send the header as “Bearer <key>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise self.refused(request, _("Invalid token.")) from None
        token = token_model().objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise self.refused(request, _("Invalid token."))
        if token.revoked_at is not None:
            raise self.refused(request, _("This token has been revoked."))
        if token.is_expired:
            raise self.refused(request, _("This token has expired."))
        user = AnonymousUser()
        if token.can_write:
            if not (token.user.is_active and token.user.is_staff):
                raise self.refused(request, _("This token's staff account is inactive."))
            user = token.user
        token.record_use()
        return user, token

    @staticmethod
    def refused(request, message) -> exceptions.APIException:
        throttle = FailedTokenThrottle()
        if not throttle.allow_request(request, None):
            return exceptions.Throttled(wait=throttle.wait())
        return exceptions.AuthenticationFailed(message)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "Optional. Anonymous callers read all public data at a lower rate. Partners "
                "get a token from the association's staff and send it as "
                "“Authorization: Bearer <key>”; staff tokens may also write."
            ),
        }
