"""The back office's History pages: a record of who changed what, never a way to change it."""

import copy

from django.http import HttpResponseNotAllowed
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose past versions can be read, not saved back.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the Revert button: the version page still saves
    whatever is posted to it, old status and stock included, around the workflows in
    services.py. It answers 405 to a POST instead. The page also builds its form with the
    class's prepopulated_fields, which name fields a restricted form may lack (a translator's
    has no slug); it gets the request's own.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        restricted = copy.copy(self)
        restricted.prepopulated_fields = self.get_prepopulated_fields(request)
        return SimpleHistoryAdmin.history_form_view(
            restricted, request, object_id, version_id, extra_context
        )
