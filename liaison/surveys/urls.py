from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.answer, name="answer"),
    path("r/<str:token>/", views.personal, name="personal"),
    path("results/", views.results_list, name="results_list"),
    path("results/<int:pk>/", views.results, name="results"),
    path("results/<int:pk>/units/<int:unit_pk>/", views.results_unit, name="results_unit"),
    path("results/<int:pk>/report/", views.results_report, name="report"),
    path("results/<int:pk>/export.xlsx", views.results_xlsx, name="export"),
    path("results/<int:pk>/comments/", views.comments, name="comments"),
    path("results/<int:pk>/findings/<int:finding_pk>/send/", views.finding_send, name="finding_send"),
    path("results/<int:pk>/copy/", views.survey_copy, name="copy"),
    path("results/<int:pk>/invite/", views.invitations_send, name="invite"),
    path("letters/", views.letters_list, name="letters_list"),
    path("letters/<int:pk>/", views.letters, name="letters"),
    path("results/<int:pk>/publish/", views.results_publish, name="publish_results"),
    path("published/<int:pk>/", views.public_results, name="public_results"),
]
