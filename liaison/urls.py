from django.urls import path

from . import views

app_name = "liaison"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.submit, name="submit"),
    path("submitted/", views.submitted, name="submitted"),
    path("site-error/", views.site_error, name="site_error"),
    path("track/", views.track, name="track"),
    path("track/new-code/", views.forgot_code, name="forgot_code"),
    path("track/<str:tracking_number>/", views.track_detail, name="track_detail"),
    path("track/<str:tracking_number>/act/", views.track_act, name="track_act"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:tracking_number>/", views.mine_detail, name="mine_detail"),
    path("mine/<str:tracking_number>/act/", views.mine_act, name="mine_act"),
    path("files/<uuid:public_id>/", views.attachment, name="attachment"),
    path("figures/", views.public_figures, name="figures"),
]
