"""Two tabs, two processes: exactly one signature (PostgreSQL, real threads and connections)."""

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from partydocs.models import Signature
from partydocs.signing import Evidence, Signer
from pledges import services
from pledges.models import Pledge
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_submits_make_exactly_one_signature(world, live_plan):
    secretary = world.users["secretary_own"]
    pledge = services.registration_register(
        actor=secretary, plan=live_plan, organization=world.branch_a
    ).pledges.get()
    _content, seen = services.preview_content(pledge, secretary)
    barrier = threading.Barrier(5)
    results, errors = [], []

    def submit():
        try:
            request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
            barrier.wait()
            results.append(
                services.pledge_sign(
                    signer=Signer(
                        user=secretary, password=PASSWORD, full_name="Phạm Văn Tài", consent=True
                    ),
                    evidence=Evidence.from_request(request),
                    pledge=pledge,
                    seen_hash=seen,
                ).pk
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Signature.objects.count() == 1
    assert set(results) == {Signature.objects.get().pk}  # every submit got the same signature
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.SIGNED
