from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Đánh giá và báo cáo")

    def ready(self):
        # The reviews layer follows the adding of evidence (reports.meetings.services
        # EVIDENCE_ADDED): registered here, so a command or a test that adds evidence gets it too.
        import reports.reviews.services  # noqa: F401

        # How this app's records follow a reorganization of the tree (branches.reorganization).
        from branches.reorganization import register
        from reports.reorganization import HANDLER

        register(HANDLER)
