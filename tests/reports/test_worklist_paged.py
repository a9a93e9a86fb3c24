"""A province official's work queue holds hundreds of groups (issue 21): the start page shows the
first groups with a link to the rest, the queue page a page of groups at a time, its anchors
counted across pages."""

import re

import pytest
from django.test import Client

from benchmarking.province import ProvinceSpec, build
from branches.models import RoleAssignment
from reports.summaries import home, todo

SPEC = ProvinceSpec(committees=6, branches=40, members=400, years=1, seed=11, code="WQ", blocks=2)


@pytest.fixture
def official(db):
    province = build(SPEC, log=lambda *_: None)
    user = RoleAssignment.objects.get(organization=province.root, role="official").user
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_of_a_province_a_page_of_groups_at_a_time(official, monkeypatch):
    everything = official.get("/todo/").content.decode()
    groups = re.findall(r'<h2 class="h5" id="group-(\d+)">', everything)
    assert len(groups) >= 3, "the synthetic province leaves late work in several committees"

    monkeypatch.setattr(todo, "WORKLIST_GROUPS_PAGE", 2)
    first = official.get("/todo/").content.decode()
    second = official.get("/todo/", {"page": 2}).content.decode()
    assert re.findall(r'<h2 class="h5" id="group-(\d+)">', first) == ["1", "2"]
    assert re.findall(r'<h2 class="h5" id="group-(\d+)">', second)[0] == "3"
    assert "Trang 1/" in first

    monkeypatch.setattr(home, "HOME_GROUPS", 2)
    start = official.get("/").content.decode()
    queue = start[start.index('id="queue-h"') :]
    queue = queue[: queue.index("</section>")]
    assert queue.count('<h3 class="h6 mt-2">') == 2
    assert f"Còn {len(groups) - 2} nhóm việc nữa" in queue
