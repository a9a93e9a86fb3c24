"""The session store (branches.sessions): Django's database sessions with a plain-SQL read. The
same rows as Django's own store: a session it wrote is read back, an expired or unknown key
reads as empty, logging out ends the session for every copy of the cookie."""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from web.sessions import SessionStore


def test_reads_what_django_wrote_and_nothing_expired(db):
    original = DjangoStore()
    original["answer"] = "Chi bộ 4 tốt"
    original.save()
    assert SessionStore(original.session_key)["answer"] == "Chi bộ 4 tốt"

    Session.objects.filter(pk=original.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(original.session_key)
    assert expired.load() == {} and expired.session_key is None
    for key in (None, "", "short", "x" * 40):
        assert SessionStore(key).load() == {}


def test_logout_ends_the_session_for_a_copied_cookie(world, client):
    client.force_login(world.users["staff"])
    stolen = client.cookies["sessionid"].value
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    client.cookies["sessionid"] = stolen
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
