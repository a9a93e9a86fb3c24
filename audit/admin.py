"""The read-only history admin every audited model's admin builds on."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin that shows the object's audit history (django-simple-history) read-only: the
    history and each past version can be looked at, nothing is reverted or rewritten from there.
    (SIMPLE_HISTORY_REVERT_DISABLED only hides the button; this refuses the POST.) The historical
    rows themselves are registered nowhere, so no admin page edits or deletes them."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
