from django.urls import path

from partnership.logistics import views

app_name = "logistics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("standards/", views.standard_list, name="standards"),
    path("standards/import/", views.standards_import, name="standards_import"),
    path("standards/export.xlsx", views.standards_export, name="standards_export"),
    path("standards/new/", views.standard_create, name="standard_create"),
    path("standards/<int:pk>/", views.standard_detail, name="standard"),
    path("standards/<int:pk>/edit/", views.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/adoption/<slug:nation>/", views.adoption_edit, name="adoption_edit"),
    path("items/", views.item_list, name="items"),
    path("items/<str:nsn>/", views.item_detail, name="item"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("requests/<str:number>/<str:action>/", views.request_action, name="request_action"),
    path("holdings/", views.holdings, name="holdings"),
    path("movements/new/", views.movement_create, name="movement_create"),
    path("movements/<int:pk>/reverse/", views.movement_reverse, name="movement_reverse"),
    path("destruction/", views.destruction, name="destruction"),
    path("destruction/<int:pk>/lots/new/", views.lot_create, name="lot_create"),
]
