"""Which addresses a webhook may call: public ones, and the networks the operator allows.

A receiver's host is resolved when the subscription is saved (to refuse an internal address
at once, naming the field) and again at each delivery, when every address it resolves to is
checked and the connection is made to the address checked, so that a host name cannot point
somewhere else between the check and the call (DNS rebinding).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_ADDRESSES = 16


class AddressRefused(Exception):
    """The receiver may not be called; the message says why, for the partner to read."""


@dataclass(frozen=True)
class Target:
    """Where to connect: the checked address, with the name the receiver is called by."""

    scheme: str
    host: str
    port: int
    path: str
    address: IPAddress


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(network, strict=False) for network in settings.WEBHOOK_ALLOWED_NETWORKS
    ]


def is_allowed_network(address: IPAddress) -> bool:
    return any(
        address.version == network.version and address in network for network in allowed_networks()
    )


def is_allowed(address: IPAddress) -> bool:
    return is_allowed_network(address) or is_allowed_network(unwrapped(address))


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def unwrapped(address: IPAddress) -> IPAddress:
    """An IPv4 address written as IPv6 (::ffff:127.0.0.1, 6to4, NAT64 64:ff9b::10.0.0.1) as
    itself: it is where the packets end up."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: IPAddress) -> str | None:
    """Why `address` may not be called, or None when it may."""
    if is_allowed(address):
        return None
    plain = unwrapped(address)
    for kind, test in (
        (_("unspecified"), "is_unspecified"),
        (_("loopback"), "is_loopback"),
        (_("link-local"), "is_link_local"),
        (_("multicast"), "is_multicast"),
        (_("reserved"), "is_reserved"),
        (_("private"), "is_private"),
    ):
        if getattr(address, test) or getattr(plain, test):
            return _("%(address)s is a %(kind)s address.") % {"address": address, "kind": kind}
    if not (address.is_global and plain.is_global):
        return _("%(address)s is not a public address.") % {"address": address}
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address as itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(_("The host name %(host)s does not resolve.") % {"host": host}) from (
            error
        )
    addresses = []
    for info in infos:
        # An IPv6 scope ("fe80::1%eth0") is not part of the address.
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused(_("The host name %(host)s does not resolve.") % {"host": host})
    return addresses[:MAX_ADDRESSES]


def parse(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of a receiver's address, or AddressRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("Enter a valid address.")) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise AddressRefused(_("The address must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(_("The address may not contain a user name or password."))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise AddressRefused(_("The address needs a host name."))
    if any(ord(character) < 33 or ord(character) == 127 for character in url):
        raise AddressRefused(_("The address may not contain spaces or control characters."))
    port = port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port, path


def check(url: str) -> Target:
    """Resolve the receiver's host and check every address; the target to connect to."""
    scheme, host, port, path = parse(url)
    addresses = resolve(host, port)
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            raise AddressRefused(
                _("Deliveries go to public addresses only: %(reason)s") % {"reason": reason}
            )
    if scheme == "http" and not all(is_allowed(a) for a in addresses):
        raise AddressRefused(_("The address must start with https://."))
    return Target(scheme, host, port, path, addresses[0])


def validate_receiver(url: str) -> None:
    """A subscription's address, checked as a delivery will check it (a field error)."""
    from django.core.exceptions import ValidationError

    try:
        check(url)
    except AddressRefused as refused:
        raise ValidationError(str(refused), code="address_refused") from None
