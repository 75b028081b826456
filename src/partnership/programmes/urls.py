from django.urls import path

from partnership.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/events/new/", views.event_create, name="event_create"),
]
