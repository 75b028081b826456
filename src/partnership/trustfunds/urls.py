from django.urls import path

from partnership.trustfunds import views

app_name = "trustfunds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("rates/", views.rate_list, name="rates"),
    path("rates/<int:pk>/", views.rate_edit, name="rate_edit"),
    path("iati.xml", views.iati_all, name="iati_all"),
    path("iati/import/", views.iati_import, name="iati_import"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/record/", views.transaction_create, name="transaction_create"),
    path("projects/<slug:slug>/rate/", views.rate_create, name="rate_create"),
    path(
        "projects/<slug:slug>/transactions/<int:pk>/void/",
        views.transaction_void,
        name="transaction_void",
    ),
    path("projects/<slug:slug>/results/new/", views.measurement_create, name="measurement_create"),
    path(
        "projects/<slug:slug>/results/<int:pk>/withdraw/",
        views.measurement_withdraw,
        name="measurement_withdraw",
    ),
    path("projects/<slug:slug>/donor-report.<str:fmt>", views.donor_report, name="donor_report"),
    path("projects/<slug:slug>/iati.xml", views.iati_project, name="iati_project"),
    path("<slug:slug>/", views.fund_detail, name="fund"),
    path("<slug:slug>/donor-report.<str:fmt>", views.fund_report, name="fund_report"),
    path("<slug:slug>/status/", views.fund_status, name="fund_status"),
]
