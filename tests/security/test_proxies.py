"""The real client behind the reverse proxies (web/clients.py): the lock-out, the rate limits and
the signing evidence all see the address the proxies saw, and a forged X-Forwarded-For changes
nothing."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD
from web.clients import client_ip

NGINX = "127.0.0.1"


def _request(forwarded=None, remote=NGINX):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    "proxies,forwarded,remote,expected",
    [
        (0, "203.0.113.5", "198.51.100.7", "198.51.100.7"),  # no proxy: the header is ignored
        (1, "203.0.113.5", NGINX, "203.0.113.5"),  # nginx appended the client
        (1, "6.6.6.6, 203.0.113.5", NGINX, "203.0.113.5"),  # forged entry on the left
        (1, None, "198.51.100.7", "198.51.100.7"),  # came round the proxy: its own address
        (2, "203.0.113.5, 10.0.0.2", NGINX, "203.0.113.5"),  # a load balancer, then nginx
        (2, "6.6.6.6, 7.7.7.7, 203.0.113.5, 10.0.0.2", NGINX, "203.0.113.5"),
        (2, "10.0.0.2", NGINX, "10.0.0.2"),  # one hop short: the nearest known one
        (1, "not-an-address", NGINX, NGINX),
        (1, "2001:db8::1", NGINX, "2001:db8::1"),
        (1, "203.0.113.5:51234", NGINX, "203.0.113.5"),  # a port some balancers add
        (1, "[2001:db8::1]:443", NGINX, "2001:db8::1"),
    ],
)
def test_the_client_is_read_as_many_hops_from_the_right_as_there_are_proxies(
    proxies, forwarded, remote, expected
):
    with override_settings(BONTOT_PROXY_COUNT=proxies):
        assert client_ip(_request(forwarded, remote)) == expected


def _login(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@override_settings(BONTOT_PROXY_COUNT=1)
def test_behind_nginx_the_lock_out_counts_per_client_not_per_proxy(world, client):
    for _ in range(5):
        _login(client, "staff", "sai", "203.0.113.5")
    assert _login(client, "staff", PASSWORD, "203.0.113.5").status_code == 429
    # A forged header does not get the locked-out client back in …
    assert _login(client, "staff", PASSWORD, "198.51.100.9, 203.0.113.5").status_code == 429
    # … and the real secretary at another address is not locked out by someone else.
    assert _login(client, "staff", PASSWORD, "203.0.113.77").status_code == 302


@override_settings(BONTOT_PROXY_COUNT=1, BONTOT_RATE_VERIFY_UPLOAD="2/m")
def test_behind_nginx_the_public_limit_is_per_client(db, client):
    url = reverse("partydocs:verify_upload")

    def post(forwarded):
        return client.post(url, {}, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [post("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    assert post("6.6.6.6, 203.0.113.5") == 429  # forging does not reset the count
    assert post("203.0.113.6") == 200  # another client has its own budget


@override_settings(BONTOT_PROXY_COUNT=1)
def test_behind_nginx_the_signature_records_the_client(world, live_plan, login, sign_data):
    from partydocs.models import Signature
    from pledges import services

    pledge = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    ).pledges.get()
    client = login(world.users["secretary_own"])
    response = client.post(
        reverse("pledges:pledge_sign", args=[pledge.pk]),
        sign_data(client, pledge),
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5",
    )
    assert response.status_code == 302
    assert Signature.objects.get().ip_address == "203.0.113.5"


@pytest.mark.parametrize(
    "proxies,forwarded,remote,expected",
    [
        (1, "203.0.113.5", NGINX, "203.0.113.5"),  # through nginx, as without the setting
        # Straight to the application from outside, with a forged header: its own address.
        (1, "6.6.6.6", "198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 10.0.0.2", "198.51.100.7", "198.51.100.7"),
        # Through nginx but round the load balancer: the untrusted hop is the client.
        (2, "6.6.6.6, 198.51.100.8", NGINX, "198.51.100.8"),
        (2, "203.0.113.5, 10.0.0.2", NGINX, "203.0.113.5"),  # balancer and nginx, both trusted
        (1, "2001:db8::1", "::1", "2001:db8::1"),
    ],
)
def test_with_trusted_networks_only_an_address_in_them_is_read_as_a_proxy(
    proxies, forwarded, remote, expected
):
    with override_settings(
        BONTOT_PROXY_COUNT=proxies, BONTOT_TRUSTED_PROXIES=["127.0.0.0/8", "10.0.0.0/8", "::1/128"]
    ):
        assert client_ip(_request(forwarded, remote)) == expected
