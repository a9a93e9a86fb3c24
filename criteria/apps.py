from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Kế hoạch và tiêu chí")

    def ready(self):
        # How this app's records follow a reorganization of the tree (branches.reorganization).
        from branches.reorganization import register
        from criteria.reorganization import HANDLER

        register(HANDLER)
