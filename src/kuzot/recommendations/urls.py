from django.urls import path

from kuzot.recommendations import views

urlpatterns = [
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/new/", views.new_recommendation, name="new_recommendation"),
    path("recommendations/import/", views.import_recommendations, name="import_recommendations"),
    path("recommendations/matrix/", views.recommendation_matrix, name="recommendation_matrix"),
    path("recommendations/report/", views.follow_up_report, name="follow_up_report"),
    path("recommendations/follow-up/", views.follow_up_calendar, name="follow_up_calendar"),
    path(
        "recommendations/export.<str:file_format>",
        views.export,
        name="export_recommendations",
    ),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/edit/", views.edit_recommendation, name="edit_recommendation"),
    path("recommendations/<int:pk>/assess/", views.assess, name="assess_recommendation"),
    path("recommendations/<int:pk>/actions/new/", views.plan_action, name="plan_action"),
    path("recommendations/<int:pk>/cases/", views.link_case, name="link_case"),
    path(
        "recommendations/<int:pk>/cases/<int:link>/remove/",
        views.unlink_case,
        name="unlink_case",
    ),
    path("recommendations/<int:pk>/statistics/", views.link_statistics, name="link_statistics"),
    path("recommendations/<int:pk>/repeats/", views.link_repeat, name="link_repeat"),
    path("public/scorecard/<str:country>/", views.public_scorecard, name="public_scorecard"),
    path(
        "public/scorecard/<str:country>/recommendations.<str:file_format>",
        views.public_scorecard_file,
        name="public_scorecard_file",
    ),
]
