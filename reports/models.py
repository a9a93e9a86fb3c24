"""The models of the reports app, defined in its folders by domain and gathered here for Django
(the app's models module). Code of the product imports them from their folder
(reports.meetings.models …), never from here: this module sits above every folder."""

from reports.meetings.models import Attendance, Evidence, Meeting
from reports.ratings.models import (
    CollectiveReport,
    MemberRating,
    OrganizationRating,
    Rerating,
    RuleException,
)
from reports.reviews.models import Nomination, RecognitionDecision, Review, ReviewScore
from reports.selfreviews.models import ReviewRound, SelfReview
from reports.summaries.models import GeneratedDocument, SummaryReport

__all__ = [
    "Attendance",
    "Evidence",
    "GeneratedDocument",
    "Meeting",
    "MemberRating",
    "OrganizationRating",
    "Rerating",
    "ReviewRound",
    "SelfReview",
    "CollectiveReport",
    "Nomination",
    "RecognitionDecision",
    "Review",
    "ReviewScore",
    "RuleException",
    "SummaryReport",
]
