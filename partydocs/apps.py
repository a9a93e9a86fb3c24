from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyDocsConfig(AppConfig):
    name = "partydocs"
    verbose_name = _("Văn bản và chữ ký")
