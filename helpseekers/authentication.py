"""API authentication: ``Authorization: Bearer <session token>``, never the codename.

Only the header is accepted (not the web cookie), so the API needs no CSRF protection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from helpseekers.services import SignedIn, session_resolve

if TYPE_CHECKING:
    from rest_framework.views import APIView


@dataclass(frozen=True)
class HelpSeekerPrincipal:
    """DRF's ``request.user`` for a help-seeker: no name, only the signed-in session."""

    signed_in: SignedIn
    is_authenticated: bool = True
    is_staff: bool = False


class HelpSeekerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[HelpSeekerPrincipal, SignedIn] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid or expired session. Resume with your codename."))
        signed_in = session_resolve(token=parts[1].decode("ascii", errors="replace"))
        if signed_in is None:
            raise AuthenticationFailed(_("Invalid or expired session. Resume with your codename."))
        return HelpSeekerPrincipal(signed_in), signed_in

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


class IsHelpSeeker(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, HelpSeekerPrincipal)
