"""The baselines: views that do nothing, behind the same middleware and authentication as the
product's pages (session) and API (token). Served only by the benchmark's URLconf."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from rest_framework.response import Response
from rest_framework.views import APIView


@login_required
def bare_page(request):
    return HttpResponse("ok")


@login_required
def layout_page(request):
    """The product's layout (base.html: header, tabs, unread badge) with nothing in it: what
    every page costs before its own content."""
    return render(request, "base.html")


class BareAPIView(APIView):
    """The API's default authentication (token) and permission (signed in), and nothing else."""

    def get(self, request):
        return Response({"ok": True})
