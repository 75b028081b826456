from django.urls import path

from partnership.framework import views

app_name = "framework"
urlpatterns = [
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path("action-items/", views.action_item_list, name="action_items"),
    path("search/", views.search, name="search"),
]
