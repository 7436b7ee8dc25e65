from django.urls import path

from kuzot.cases.views import evidence, people

urlpatterns = [
    path("people/", people.people, name="people"),
    path("people/new/", people.new_person, name="new_person"),
    path("people/<int:pk>/", people.person, name="person"),
    path("cases/<int:pk>/evidence/", evidence.upload, name="upload_evidence"),
    path("evidence/<int:pk>/original/", evidence.download, name="evidence_original"),
    path("evidence/<int:pk>/no-metadata/", evidence.download_stripped, name="evidence_stripped"),
]
