"""Error pages in Vietnamese in production (DEBUG off): not Django's English pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, override_settings
from django.urls import reverse


@pytest.fixture
def production_client(db):
    with override_settings(DEBUG=False):
        yield Client(raise_request_exception=False)


def test_a_missing_page_says_so_in_vietnamese(production_client):
    page = production_client.get("/khong-co-trang-nay/")
    html = page.content.decode()
    assert page.status_code == 404 and "Không tìm thấy trang" in html and "Not Found" not in html


def test_a_refused_page_and_a_stale_form_say_why_in_vietnamese(world, production_client):
    production_client.force_login(world.users["secretary_own"])
    page = production_client.get(reverse("branches:role_list"))
    assert (
        page.status_code == 403 and "Tài khoản không có quyền làm việc này" in page.content.decode()
    )
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.force_login(world.users["secretary_own"])
    with override_settings(DEBUG=False):
        page = strict.post(reverse("logout"))
    assert page.status_code == 403 and "Trang đã cũ, chưa gửi được" in page.content.decode()


def test_a_server_error_page_needs_nothing_but_its_template(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in html and 'lang="vi"' in html


def test_a_bad_request_says_so_in_vietnamese(rf):
    from django.core.exceptions import BadRequest
    from django.views.defaults import bad_request

    request = rf.get("/")
    request.user = AnonymousUser()
    response = bad_request(request, BadRequest())
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()
