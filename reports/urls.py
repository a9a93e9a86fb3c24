from django.urls import path

from reports.meetings import views as evidence
from reports.meetings import views as meetings
from reports.ratings import mine
from reports.ratings import views as ratings
from reports.reviews import recognition_views as recognition
from reports.reviews import views as reviews
from reports.summaries import views as summary

app_name = "reports"

urlpatterns = [
    path("organizations/<int:branch_pk>/meetings/", meetings.meeting_list, name="meeting_list"),
    path(
        "organizations/<int:branch_pk>/meetings/new/",
        meetings.meeting_create,
        name="meeting_create",
    ),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", meetings.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path(
        "organizations/<int:branch_pk>/ratings/", ratings.branch_ratings_view, name="branch_ratings"
    ),
    path(
        "members/<int:member_pk>/rating/", ratings.member_rating_sheet, name="member_rating_sheet"
    ),
    path(
        "organizations/<int:org_pk>/quality/",
        ratings.organization_rating,
        name="organization_rating",
    ),
    path(
        "organizations/<int:org_pk>/ratings/summary/",
        ratings.committee_ratings,
        name="committee_ratings",
    ),
    path("me/", mine.my_records, name="my_records"),
    path("me/plans/<int:plan_pk>.pdf", mine.my_plan_pdf, name="my_plan_pdf"),
    path(
        "organizations/<int:org_pk>/ratings/results.pdf",
        ratings.rating_results_document,
        name="rating_results_document",
    ),
    path(
        "registrations/<int:registration_pk>/evidence/",
        evidence.evidence_list,
        name="evidence_list",
    ),
    path("evidence/<int:pk>/file/", evidence.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete, name="evidence_delete"),
    path("plans/<int:plan_pk>/reviews/", reviews.plan_reviews, name="plan_reviews"),
    path(
        "registrations/<int:registration_pk>/reviews/open/", reviews.review_open, name="review_open"
    ),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/self/", reviews.review_self, name="review_self"),
    path("reviews/<int:pk>/preview/", reviews.review_preview, name="review_preview"),
    path("reviews/<int:pk>/submit/", reviews.review_submit, name="review_submit"),
    path("reviews/<int:pk>/return/", reviews.review_return, name="review_return"),
    path("reviews/<int:pk>/assess/", reviews.review_assess, name="review_assess"),
    path("reviews/<int:pk>/finalize/", reviews.review_finalize, name="review_finalize"),
    path(
        "reviews/<int:pk>/<str:sheet_name>.<str:fmt>",
        reviews.review_document,
        name="review_document",
    ),
    path("reviews/<int:pk>/history/", reviews.review_history, name="review_history"),
    path("plans/<int:plan_pk>/recognition/", recognition.recognition, name="recognition"),
    path("nominations/<int:pk>/decide/", recognition.nomination_decide, name="nomination_decide"),
    path("plans/<int:plan_pk>/decision/new/", recognition.decision_create, name="decision_create"),
    path("decisions/<int:pk>/issue/", recognition.decision_issue, name="decision_issue"),
    path("decisions/<int:pk>/pdf/", recognition.decision_document, name="decision_pdf"),
    path("plans/<int:plan_pk>/summary/", summary.summary, name="summary"),
    path("plans/<int:plan_pk>/summary.<str:fmt>", summary.summary_export, name="summary_export"),
    path("plans/<int:plan_pk>/summary/issue/", summary.summary_issue, name="summary_issue"),
    path("exports/<slug:kind>.<slug:fmt>", summary.export, name="export"),
    path("documents/<int:pk>/", summary.document_status, name="document_status"),
    path("documents/<int:pk>/download/", summary.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", summary.document_retry, name="document_retry"),
]
