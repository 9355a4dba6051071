from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class FieldsFilterBackend(DjangoFilterBackend):
    """django-filter's backend for views that name their `filterset_fields` in a list. It
    builds a filter set and its form on every request; here it steps aside when the query
    string names none of those fields (an unfiltered list, every detail read through
    `get_object`), where filtering would keep every row anyway."""

    def filter_queryset(self, request, queryset, view):
        names = view.filterset_fields
        if not any(name in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)
