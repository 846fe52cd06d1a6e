from django.urls import path
from django.views.generic import TemplateView

app_name = "policies"

# Placeholder until the policies app lands.
urlpatterns = [
    path("", TemplateView.as_view(template_name="portal/placeholder.html", extra_context={"title": "政策公开"}), name="home"),
]
