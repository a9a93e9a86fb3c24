"""The kinds of work the reports' folders give, registered with the work queue (web.worklist)
when Django starts (`WebConfig.ready` imports each app's `worklist` module; this one gathers
the folders')."""

import reports.meetings.worklist
import reports.ratings.worklist
import reports.reviews.worklist
import reports.selfreviews.worklist
import reports.summaries.worklist  # noqa: F401
