"""Two people issuing plans at the same moment get different numbers (PostgreSQL, real threads)."""

import datetime
import threading

import pytest
from django.db import connection

from criteria import services
from criteria.models import Plan
from tests.factories import staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_plan_numbering_gives_no_duplicates(world):
    barrier = threading.Barrier(6)
    results, errors = [], []

    def issue():
        try:
            barrier.wait()
            plan = services.plan_create(
                actor=staff(),
                issuer=world.committee,
                model="branch",
                issue_date=datetime.date(2024, 3, 1),
                start_year=2024,
                end_year=2024,
                registration_deadline=datetime.date(2024, 3, 15),
                signing_deadline=datetime.date(2024, 3, 31),
                final_review_deadline=datetime.date(2024, 12, 15),
            )
            results.append(plan.sequence)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
    assert Plan.objects.filter(issuer=world.committee).count() == 6


def test_the_database_itself_refuses_a_duplicate_number(world):
    from django.db import IntegrityError, transaction

    plan = services.plan_create(
        actor=staff(),
        issuer=world.committee,
        model="branch",
        issue_date=datetime.date(2024, 3, 1),
        start_year=2024,
        end_year=2024,
        registration_deadline=datetime.date(2024, 3, 15),
        signing_deadline=datetime.date(2024, 3, 31),
        final_review_deadline=datetime.date(2024, 12, 15),
    )
    clone = Plan.objects.get(pk=plan.pk)
    clone.pk = None  # the same issuer, term and number, saved without the service's checks
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
