from django.urls import path

from kuzot.stats import views

urlpatterns = [
    path("statistics/", views.explore, name="statistics"),
    path("statistics/publications/", views.publications, name="publications"),
    path("statistics/report/<int:year>/", views.report, name="report"),
    path("statistics/hidden-figure/", views.hidden_figure, name="hidden_figure"),
    path(
        "statistics/hidden-figure/review/", views.hidden_figure_review, name="hidden_figure_review"
    ),
    path("public/", views.public_index, name="public_index"),
    path("public/<slug:slug>/", views.public_publication, name="public_publication"),
    path("public/<slug:slug>/<slug:name>.csv", views.public_csv, name="public_csv"),
    path("public/<slug:slug>/<slug:name>.xlsx", views.public_xlsx, name="public_xlsx"),
    path("public/<slug:slug>/<slug:name>.svg", views.public_chart, name="public_chart"),
]
