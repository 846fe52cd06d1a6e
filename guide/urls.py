from django.urls import path

from . import views

app_name = "guide"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/download.<str:fmt>", views.item_download, name="item_download"),
    path("materials/<int:pk>/<slug:field>/", views.material_file, name="material_file"),
    path("leaders/", views.leaders, name="leaders"),
    path("contacts/", views.contacts, name="contacts"),
    path("raise-a-matter/", views.raise_matter, name="raise_matter"),
    path("credit/", views.credit, name="credit"),
    path("editions/", views.editions, name="editions"),
    path("editions/<slug:slug>/", views.edition_detail, name="edition"),
    path("editions/<slug:slug>/guide.<str:fmt>", views.edition_download, name="edition_download"),
    path(
        "editions/<slug:slug>/departments/<int:unit_pk>.<str:fmt>",
        views.department_download,
        name="department_download",
    ),
]
