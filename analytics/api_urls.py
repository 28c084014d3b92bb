from django.urls import path

from analytics import api

urlpatterns = [
    path("releases/", api.ReleaseListApi.as_view(), name="evaluation-release-list"),
    path("releases/<str:period>/", api.ReleaseDetailApi.as_view(), name="evaluation-release-detail"),
    path("releases/<str:period>/figures.csv", api.ReleaseCsvApi.as_view(), name="evaluation-release-csv"),
]
