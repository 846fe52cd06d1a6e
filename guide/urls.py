from django.urls import path
from django.views.generic import TemplateView

app_name = "guide"

# Placeholder until the guide app lands.
urlpatterns = [
    path("", TemplateView.as_view(template_name="portal/placeholder.html", extra_context={"title": "企业服务指南"}), name="home"),
    path("contacts/", TemplateView.as_view(template_name="portal/placeholder.html", extra_context={"title": "联系电话"}), name="contacts"),
]
