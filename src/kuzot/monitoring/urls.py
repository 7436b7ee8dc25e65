from django.urls import path

from kuzot.monitoring import views

urlpatterns = [
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.plan, name="plan_visit"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/record/", views.record, name="record_visit"),
    path("visits/<int:pk>/interviews/new/", views.new_interview, name="new_interview"),
    path("visits/<int:pk>/findings/new/", views.new_finding, name="new_finding"),
    path("findings/<int:pk>/case/", views.open_case, name="finding_case"),
    path("visits/<int:pk>/recommend/", views.recommend, name="visit_recommend"),
    path("visits/<int:pk>/assess/<int:recommendation>/", views.assess, name="visit_assess"),
    path("visits/checklist.xlsx", views.checklist, name="visit_checklist"),
    path("visits/<int:pk>/submission/", views.import_submission, name="import_submission"),
]
