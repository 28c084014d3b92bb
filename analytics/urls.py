from django.urls import path

from analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:period>/", views.release_page, name="release"),
    path("<str:period>/figures.csv", views.release_csv, name="release-csv"),
]
