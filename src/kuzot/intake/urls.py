from django.urls import path

from kuzot.intake import views

urlpatterns = [
    path("complaint/", views.complaint, name="complaint"),
    path("complaint/receipt.txt", views.receipt_file, name="complaint_receipt_file"),
    path("complaint/follow-up/", views.follow_up, name="complaint_follow_up"),
    path("complaint/follow-up/conversation/", views.conversation, name="complaint_conversation"),
    path("complaint/follow-up/forget/", views.forget, name="complaint_forget"),
    path("complaint/<slug:slug>/", views.complaint, name="organisation_complaint"),
    path("intake/", views.inbox, name="inbox"),
    path("intake/<int:pk>/", views.submission, name="submission"),
    path("intake/<int:pk>/ask/", views.ask, name="submission_ask"),
    path("intake/<int:pk>/accept/", views.accept, name="submission_accept"),
    path("intake/<int:pk>/duplicate/", views.duplicate, name="submission_duplicate"),
    path("intake/<int:pk>/reject/", views.reject, name="submission_reject"),
    path("intake/<int:pk>/postpone/", views.postpone, name="submission_postpone"),
    path(
        "intake/<int:pk>/files/<int:attachment_id>/", views.attachment, name="submission_attachment"
    ),
]
