from django.urls import path
from django.views.generic import TemplateView

app_name = "liaison"

# Placeholder until the liaison app lands.
urlpatterns = [
    path("", TemplateView.as_view(template_name="portal/placeholder.html", extra_context={"title": "企业诉求"}), name="home"),
    path("site-error/", TemplateView.as_view(template_name="portal/placeholder.html", extra_context={"title": "我为政府网站找错"}), name="site_error"),
]
