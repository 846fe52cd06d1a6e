from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("coverage/", views.coverage, name="coverage"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/<int:pk>/", views.enterprise_file, name="enterprise_file"),
    path("ledgers/", views.ledgers, name="ledgers"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("ledgers/<slug:kind>.<slug:fmt>", views.ledger_export, name="ledger_export"),
    path("financing/", views.financing_totals, name="financing_totals"),
    path("matchmaking/", views.matchmaking, name="matchmaking"),
    path("problems/<slug:kind>/<int:pk>/to-matter/", views.problem_to_matter, name="problem_to_matter"),
    path("appointments/<int:pk>/answer/", views.appointment_answer, name="appointment_answer"),
    path("my/appointments/<int:pk>/", views.my_appointment, name="my_appointment"),
    path("my/financing/new/", views.my_financing_need, name="my_financing_need"),
]
