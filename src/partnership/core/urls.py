from django.urls import path

from partnership.core import views

app_name = "core"
urlpatterns = [path("people/", views.people, name="people")]
