"""The DEBUG error page, for a request whose query string or body Django refused to read.

Django answers such a request (more fields or files than allowed) with a 400; with DEBUG on it
shows its technical page, which reads the request's GET and POST again to list them, meets the
same refusal and turns the 400 into a 500. This reporter lists them as empty instead.
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.debug import ExceptionReporter


class UnreadableDataExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        request = self.request
        if request is not None:
            try:
                request.GET  # noqa: B018 (read to learn whether it can be)
            except SuspiciousOperation:
                request.GET = QueryDict()
            try:
                request.POST  # noqa: B018
            except SuspiciousOperation:
                request.POST = QueryDict()
                request._files = MultiValueDict()
        return super().get_traceback_data()
