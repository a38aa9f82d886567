from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.cache import safe_cache

from .authentication import token_model


class CallerRateThrottle(SimpleRateThrottle):
    """One rate per kind of caller: anonymous by address, partner and staff tokens by token.

    Rates are read at each request, so settings changed at run time (and in tests) apply.
    While the cache does not answer, no count is kept and every caller is let through: the
    pages and answers are still served, slower, and the outage is logged (core/cache.py).
    """

    cache = safe_cache

    def __init__(self):
        # The rate depends on the caller, known only in allow_request.
        pass

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, token_model()) else None
        if token is None:
            self.scope, self.ident = "anon", self.get_ident(request)
        else:
            self.scope = "staff" if token.can_write else "partner"
            self.ident = f"token-{token.pk}"
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if self.rate in (None, "", "none"):
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
