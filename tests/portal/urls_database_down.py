"""A URLconf whose only view fails as if PostgreSQL had gone away."""

from django.db import OperationalError
from django.urls import path


def database_gone(request):
    raise OperationalError("could not connect to server")


urlpatterns = [path("submit/", database_gone)]
