"""The year's work: meetings, evidence, member ratings, reviews and recognition."""

from reports.models.dataversion import DataVersion
from reports.models.documents import GeneratedDocument, SummaryReport
from reports.models.evidence import Evidence
from reports.models.meetings import Attendance, Meeting
from reports.models.ratings import MemberRating, RuleException
from reports.models.recognition import Nomination, RecognitionDecision
from reports.models.reviews import Review, ReviewScore

__all__ = [
    "Attendance",
    "DataVersion",
    "Evidence",
    "GeneratedDocument",
    "Meeting",
    "MemberRating",
    "Nomination",
    "RecognitionDecision",
    "Review",
    "ReviewScore",
    "RuleException",
    "SummaryReport",
]
