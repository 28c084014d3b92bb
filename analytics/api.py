"""The evaluation API: the same released figures as the pages, for evaluators only
(a staff session, or ``Authorization: Token …`` from DRF's token table)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import selectors
from analytics.measures import DIMENSIONS
from analytics.models import VIEW_RELEASE, Release
from redirection.staff import second_factor_verified


class IsEvaluator(BasePermission):
    message = "Only evaluators may read released figures."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated or not user.is_active or not user.has_perm(VIEW_RELEASE):
            return False
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # a staff session counts only once verified by a second factor (a token is a
            # credential of its own, made by an administrator)
            return second_factor_verified(user)
        return True


class EvaluatorApi(APIView):
    authentication_classes = [SessionAuthentication, TokenAuthentication]
    permission_classes = [IsEvaluator]


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["period", "kind", "period_start", "period_end", "computed_at", "method", "k", "protection",
                  "epsilon", "accuracy", "cells_checked", "narrowest_interval", "suppressed", "note"]  # fmt: skip


class FigureSerializer(serializers.Serializer):
    measure = serializers.CharField()
    language = serializers.CharField()
    module = serializers.CharField()
    step = serializers.CharField()
    instrument = serializers.CharField()
    item = serializers.CharField()
    occasion = serializers.CharField()
    category = serializers.CharField()
    count = serializers.FloatField(
        allow_null=True, help_text="Empty where suppressed; a statistic's value for paired change."
    )
    percent = serializers.FloatField(allow_null=True, help_text="Of n, from released counts only.")
    n = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


assert tuple(FigureSerializer().fields)[1:8] == DIMENSIONS  # noqa: S101 - the CSV's dimensions, in order


class ReleaseListApi(EvaluatorApi):
    class OutputSerializer(ReleaseSerializer):
        pass

    @extend_schema(operation_id="evaluation_release_list", responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.release_list(), many=True).data)


class ReleaseDetailApi(EvaluatorApi):
    class OutputSerializer(ReleaseSerializer):
        figures = serializers.SerializerMethodField()

        class Meta(ReleaseSerializer.Meta):
            fields = [*ReleaseSerializer.Meta.fields, "figures"]

        @extend_schema_field(FigureSerializer(many=True))
        def get_figures(self, release: Release) -> list[dict[str, Any]]:
            return FigureSerializer(selectors.figures(release=release), many=True).data  # type: ignore[return-value]

    @extend_schema(operation_id="evaluation_release_detail", responses=OutputSerializer)
    def get(self, request: Request, period: str) -> Response:
        return Response(self.OutputSerializer(selectors.release_get(period=period)).data)


class ReleaseCsvApi(EvaluatorApi):
    @extend_schema(
        operation_id="evaluation_release_csv",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The tidy long CSV.")},
    )
    def get(self, request: Request, period: str) -> HttpResponse:
        release = selectors.release_get(period=period)
        return HttpResponse(
            selectors.figures_csv(selectors.figures(release=release)), content_type="text/csv; charset=utf-8"
        )
