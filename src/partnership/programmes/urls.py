from django.urls import path

from partnership.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("sps/beneficiaries/", views.beneficiary_list, name="beneficiaries"),
    path("parp/goals/", views.goal_list, name="goals"),
    path("grants/<str:reference>/", views.grant_detail, name="grant"),
    path("grants/<str:reference>/edit/", views.grant_edit, name="grant_edit"),
    path("grants/<str:reference>/withdraw/", views.grant_withdraw, name="grant_withdraw"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("<slug:slug>/events/<int:pk>/", views.event_detail, name="event"),
    path("<slug:slug>/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("<slug:slug>/grants/", views.grant_list, name="grants"),
    path("<slug:slug>/grants/apply/", views.grant_apply, name="grant_apply"),
]
