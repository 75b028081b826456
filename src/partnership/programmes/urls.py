from django.urls import path

from partnership.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("sps/beneficiaries/", views.beneficiary_list, name="beneficiaries"),
    path("parp/goals/", views.goal_list, name="goals"),
    path("grants/<str:reference>/", views.grant_detail, name="grant"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/events/new/", views.event_create, name="event_create"),
    path("<slug:slug>/grants/", views.grant_list, name="grants"),
    path("<slug:slug>/grants/apply/", views.grant_apply, name="grant_apply"),
]
