from django.urls import path

from kuzot.cases.views import people

urlpatterns = [
    path("people/", people.people, name="people"),
    path("people/new/", people.new_person, name="new_person"),
    path("people/<int:pk>/", people.person, name="person"),
]
