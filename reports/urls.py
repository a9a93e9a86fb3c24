from django.urls import path

from reports.meetings import views as evidence
from reports.meetings import views as meetings
from reports.ratings import views as ratings
from reports.reviews import recognition_views as recognition
from reports.reviews import views as reviews
from reports.selfreviews import collective_views as collective
from reports.selfreviews import mine
from reports.selfreviews import views as selfreviews
from reports.summaries import views as summary
from reports.summaries.todo import worklist_page
from reports.years import views as years

app_name = "reports"

urlpatterns = [
    path("todo/", worklist_page, name="worklist"),
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
    path("organizations/<int:org_pk>/self-reviews/", selfreviews.round_list, name="round_list"),
    path("self-review-rounds/<int:pk>/", selfreviews.round_detail, name="round_detail"),
    path("self-review-rounds/<int:pk>/edit/", selfreviews.round_edit, name="round_edit"),
    path(
        "self-review-rounds/<int:pk>/branches/<int:branch_pk>/",
        selfreviews.round_branch,
        name="round_branch",
    ),
    path(
        "self-review-rounds/<int:pk>/branches/<int:branch_pk>/votes.pdf",
        selfreviews.round_branch_pdf,
        name="round_branch_pdf",
    ),
    path(
        "self-review-rounds/<int:pk>/members/<int:member_pk>/open/",
        selfreviews.self_review_open,
        name="self_review_open",
    ),
    path("self-reviews/<int:pk>/", selfreviews.self_review_detail, name="self_review_detail"),
    path("self-reviews/<int:pk>/edit/", selfreviews.self_review_edit, name="self_review_edit"),
    path(
        "self-reviews/<int:pk>/preview/",
        selfreviews.self_review_preview,
        name="self_review_preview",
    ),
    path("self-reviews/<int:pk>/sign/", selfreviews.self_review_sign, name="self_review_sign"),
    path(
        "self-reviews/<int:pk>/return/", selfreviews.self_review_return, name="self_review_return"
    ),
    path("self-reviews/<int:pk>/vote/", selfreviews.self_review_vote, name="self_review_vote"),
    path(
        "self-reviews/<int:pk>/decide/", selfreviews.self_review_decide, name="self_review_decide"
    ),
    path("self-reviews/<int:pk>/pdf/", selfreviews.self_review_pdf, name="self_review_pdf"),
    path("reratings/<int:pk>/pdf/", selfreviews.rerating_pdf, name="rerating_pdf"),
    path(
        "organizations/<int:org_pk>/review-records.pdf",
        selfreviews.review_records_pdf,
        name="review_records_pdf",
    ),
    path(
        "organizations/<int:org_pk>/collective-report/",
        collective.collective_report,
        name="collective_report",
    ),
    path(
        "organizations/<int:org_pk>/collective-report/preview/",
        collective.collective_report_preview,
        name="collective_report_preview",
    ),
    path(
        "organizations/<int:org_pk>/collective-report/sign/",
        collective.collective_report_sign,
        name="collective_report_sign",
    ),
    path(
        "organizations/<int:org_pk>/collective-report/return/",
        collective.collective_report_return,
        name="collective_report_return",
    ),
    path(
        "organizations/<int:org_pk>/collective-report/pdf/",
        collective.collective_report_pdf,
        name="collective_report_pdf",
    ),
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
    path("decisions/<int:pk>/docx/", recognition.decision_word, name="decision_docx"),
    path(
        "decisions/<int:pk>/certificates/",
        recognition.decision_certificates,
        name="decision_certificates",
    ),
    path(
        "organizations/<int:org_pk>/years/",
        years.organization_years_view,
        name="organization_years",
    ),
    path("members/<int:member_pk>/years/", years.member_years_view, name="member_years"),
    path("organizations/<int:org_pk>/streaks/", years.streaks_view, name="streaks"),
    path("organizations/<int:org_pk>/streaks.xlsx", years.streaks_xlsx, name="streaks_xlsx"),
    path("plans/<int:plan_pk>/summary/", summary.summary, name="summary"),
    path("plans/<int:plan_pk>/summary.<str:fmt>", summary.summary_export, name="summary_export"),
    path("plans/<int:plan_pk>/summary/issue/", summary.summary_issue, name="summary_issue"),
    path("exports/<slug:kind>.<slug:fmt>", summary.export, name="export"),
    path("documents/<int:pk>/", summary.document_status, name="document_status"),
    path("documents/<int:pk>/download/", summary.document_download, name="document_download"),
    path("documents/<int:pk>/retry/", summary.document_retry, name="document_retry"),
]
