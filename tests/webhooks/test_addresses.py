"""Deliveries go to public addresses only, checked when saved and again when sent."""

import socket

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from portal.webhooks import addresses
from portal.webhooks.addresses import AddressRefused, check, validate_receiver


def resolving_to(monkeypatch, *ips: str) -> None:
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in ips
        ]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.20", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("[::1]", "loopback"),
        ("[fc00::5]", "private"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("[fe80::1]", "link-local"),
        ("[64:ff9b::a00:1]", "reserved"),  # NAT64 to 10.0.0.1
        ("[2002:c0a8:101::1]", "private"),  # 6to4 of 192.168.1.1
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not a public"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_an_internal_address_is_refused(address, kind):
    with pytest.raises(AddressRefused) as refused:
        check(f"https://{address}/hooks")

    assert kind in str(refused.value)


def test_a_host_name_resolving_to_loopback_is_refused(monkeypatch):
    resolving_to(monkeypatch, "93.184.215.14", "127.0.0.1")

    with pytest.raises(AddressRefused) as refused:
        check("https://hooks.partner.example/in")

    assert str(refused.value) == (
        "Deliveries go to public addresses only: 127.0.0.1 is a loopback address."
    )


def test_a_public_host_is_called_at_the_address_checked(monkeypatch):
    resolving_to(monkeypatch, "93.184.215.14")

    target = check("https://hooks.partner.example:8443/in?site=7")

    assert (target.scheme, target.host, target.port, target.path, str(target.address)) == (
        "https",
        "hooks.partner.example",
        8443,
        "/in?site=7",
        "93.184.215.14",
    )


def test_a_host_name_that_does_not_resolve_is_refused(monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)

    with pytest.raises(AddressRefused, match="does not resolve"):
        check("https://nowhere.invalid/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.215.14/hooks", "The address must start with https://."),
        ("ftp://93.184.215.14/hooks", "The address must start with https://."),
        ("https://user:pw@93.184.215.14/", "The address may not contain a user name or password."),
        ("https:///hooks", "The address needs a host name."),
        ("https://93.184.215.14:99999/", "Enter a valid address."),
    ],
)
def test_a_malformed_address_is_refused(url, message):
    with pytest.raises(AddressRefused) as refused:
        check(url)

    assert str(refused.value) == message


@override_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.0/8", "::1"])
@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/in", "https://[::1]/in"])
def test_an_allowed_network_may_be_called_over_http_too(url):
    assert check(url).port in (8080, 443)


@override_settings(WEBHOOK_ALLOWED_NETWORKS=["127.0.0.0/8"])
def test_an_allowed_network_allows_only_itself():
    with pytest.raises(AddressRefused, match=r"10\.0\.0\.1 is a private address"):
        check("https://10.0.0.1/in")
    assert str(check("https://[::ffff:127.0.0.1]/in").address) == "::ffff:7f00:1"


def test_the_check_is_a_field_error_on_save():
    with pytest.raises(ValidationError) as error:
        validate_receiver("https://169.254.169.254/latest/meta-data/")

    assert error.value.code == "address_refused"
    assert error.value.messages == [
        "Deliveries go to public addresses only: 169.254.169.254 is a link-local address."
    ]
