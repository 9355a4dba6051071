"""Pages of a list: `page` and `page_size` are whole numbers, read strictly. A value that is not
one (or is out of range) is a 400 naming the parameter, never silently replaced by the
default; a page past the last is a 404."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # "last" is no number: a client asks for the count's last page

    def paginate_queryset(self, queryset, request, view=None):
        self._whole_number(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    @staticmethod
    def _whole_number(request, name: str, maximum: int | None = None) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        number = int(values[-1]) if _WHOLE_NUMBER.fullmatch(values[-1]) else None
        if len(values) > 1 or number is None or (maximum is not None and number > maximum):
            if maximum is None:
                message = _("Send one whole number, 1 or more.")
            else:
                message = _("Send one whole number from 1 to %(max)s.") % {"max": maximum}
            raise ValidationError({name: [message]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
