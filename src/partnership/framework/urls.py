from django.urls import path

from partnership.framework import views

app_name = "framework"
urlpatterns = [
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("bodies/<slug:slug>/edit/", views.body_edit, name="body_edit"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/adopt/", views.decision_adopt, name="decision_adopt"),
    path(
        "decisions/<int:pk>/break-silence/",
        views.decision_break_silence,
        name="decision_break_silence",
    ),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path("agreements/<slug:slug>/edit/", views.agreement_edit, name="agreement_edit"),
    path("action-items/", views.action_item_list, name="action_items"),
    path("action-items/new/", views.action_item_create, name="action_item_create"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action_item"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:number>/edit/", views.milestone_edit, name="milestone_edit"),
    path("withdrawn/", views.withdrawn_list, name="withdrawn"),
    path("<str:kind>/<str:key>/withdraw/", views.record_withdraw, name="withdraw"),
    path("<str:kind>/<str:key>/restore/", views.record_restore, name="restore"),
    path("search/", views.search, name="search"),
]
