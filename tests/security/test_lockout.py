"""The log-in lock-out (django-axes): counted per user name and address, so one office behind a
shared address is not locked out by one person's mistakes; wrong signing passwords count too."""

from django.urls import reverse

from tests.conftest import PASSWORD


def _login(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_that_user_on_that_address_only(world, client):
    for _ in range(4):
        assert _login(client, "staff", "sai", "10.0.0.5").status_code == 200
    assert _login(client, "staff", "sai", "10.0.0.5").status_code == 429  # the fifth locks
    locked = _login(client, "staff", PASSWORD, "10.0.0.5")
    assert locked.status_code == 429 and "Tạm khóa đăng nhập" in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not logged in
    # The same person from another address, and a colleague from the same address, get in.
    assert _login(client, "staff", PASSWORD, "10.0.0.6").status_code == 302
    client.logout()
    assert _login(client, "leader", PASSWORD, "10.0.0.5").status_code == 302


def test_wrong_signing_passwords_count_towards_the_lock_out(world, live_plan, login, sign_data):
    from pledges import services

    pledge = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    ).pledges.get()
    client = login(world.users["secretary_own"])
    url = reverse("pledges:pledge_sign", args=[pledge.pk])
    for _ in range(5):
        client.post(url, sign_data(client, pledge, password="sai"), REMOTE_ADDR="10.0.0.7")
    client.logout()
    locked = _login(client, "secretary_own", PASSWORD, "10.0.0.7")
    assert locked.status_code == 429
