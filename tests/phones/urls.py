"""The project's URLs, with the phone pages mounted if infobus/urls.py does not mount them yet."""

from django.urls import include, path

from infobus.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "phones" for pattern in urlpatterns):
    urlpatterns.append(path("phones/", include("phones.urls")))
