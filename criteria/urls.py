from django.urls import path

from criteria import views

app_name = "criteria"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/targets/", views.plan_targets, name="plan_targets"),
    path("plans/<int:pk>/points/", views.plan_points, name="plan_points"),
    path("plans/<int:pk>/criteria/<int:order>/", views.criterion_edit, name="criterion_edit"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/plan.docx", views.plan_word, name="plan_docx"),
    path("plans/<int:pk>/criteria.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
]
