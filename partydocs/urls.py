from django.urls import path

from partydocs import views

app_name = "partydocs"

# The addresses printed (as text and QR code) on every signed PDF: they never change.
urlpatterns = [
    path("verify/", views.verify_upload, name="verify_upload"),
    path("verify/<str:code>", views.verify, name="verify"),
]
