"""The help-seeker's composed API: everything stored about them, from every app."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpseekers.authentication import IsHelpSeeker
from helpseekers.current import signed_in_required
from journey.export import full_export
from journey.serializers import FullExportSerializer


class ExportApi(APIView):
    """Everything stored about me, readable (free text decrypted with my session's key)."""

    permission_classes = [IsHelpSeeker]

    @extend_schema(operation_id="helpseeker_export", responses=FullExportSerializer)
    def get(self, request: Request) -> Response:
        export = full_export(signed_in=signed_in_required(request), requested_language=get_language())
        return Response(FullExportSerializer(export).data)
