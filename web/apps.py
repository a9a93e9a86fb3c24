from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    verbose_name = "Web"

    def ready(self):
        # Each app's `worklist` module registers the kinds of work it gives (web.worklist).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("worklist")
