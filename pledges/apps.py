from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Đăng ký và cam kết")

    def ready(self):
        # How this app's records follow a reorganization of the tree (branches.reorganization).
        from branches.reorganization import register
        from pledges.reorganization import HANDLER

        register(HANDLER)
