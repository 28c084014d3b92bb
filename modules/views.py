"""Server-rendered help-seeker pages. No JavaScript; plain links and forms."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def landing(request: HttpRequest) -> HttpResponse:
    """What the program is, that it is anonymous, and how to start."""
    return render(request, "modules/landing.html")
