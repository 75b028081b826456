from django.urls import path

from partnership.anp import views

app_name = "anp"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="programme_create"),
    path("import/", views.import_workbook, name="import"),
    path("<int:year>/", views.dashboard, name="dashboard"),
    path("<int:year>/measures/", views.measure_list, name="measures"),
    path("<int:year>/chapters/<int:number>/", views.chapter_dashboard, name="chapter"),
    path("<int:year>/chapters/<int:number>/assess/", views.assess, name="assess"),
    path("<int:year>/copy/", views.copy, name="copy"),
    path("<int:year>/measures/new/", views.measure_create, name="measure_create"),
    path("<int:year>/<str:action>/", views.transition, name="transition"),
    path("<int:year>/report.<str:fmt>", views.nuc_report, name="report"),
    path("<int:year>/<str:kind>.xlsx", views.export, name="export"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/report/", views.report_create, name="report_create"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("measures/<int:pk>/amend/", views.amend, name="amend"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/withdraw/", views.measure_withdraw, name="measure_withdraw"),
]
