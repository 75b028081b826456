from django.urls import path

from partnership.airpicture import views

app_name = "airpicture"
urlpatterns = [
    path("map/", views.live_map, name="map"),
    path("map/events", views.map_events, name="events"),
    path("map/alerts.json", views.map_alerts, name="alerts"),
    path("map/links.json", views.map_links, name="links"),
    path("map/alerts/<int:number>/acknowledge", views.map_acknowledge, name="acknowledge"),
    path("map/tracks/<int:track>/renegade", views.map_escalate, name="escalate"),
    path("borders.geojson", views.borders_geojson, name="borders"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/areas.geojson", views.agreement_areas, name="areas"),
    path("agreements/<int:pk>/approve/", views.agreement_approve_view, name="approve"),
    path("agreements/<int:pk>/export.yaml", views.agreement_export_view, name="export"),
    path("agreements/<int:pk>/new-version/", views.agreement_edit, name="edit"),
]
