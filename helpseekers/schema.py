"""OpenAPI description of the help-seeker bearer token (drf-spectacular extension)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HelpSeekerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "helpseekers.authentication.HelpSeekerTokenAuthentication"
    name = "helpSeekerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The session token from start or resume. The codename is never sent after sign-in.",
        }
