from django.urls import path

from kuzot.jobs import views

urlpatterns = [
    path("jobs/", views.my_jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/file", views.output, name="job_output"),
]
