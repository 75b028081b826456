from django.urls import path

from partnership.documents import views

app_name = "documents"
urlpatterns = [
    path("attach/<str:kind>/<int:pk>/", views.document_attach, name="attach"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/new-version/", views.version_add, name="version_add"),
    path("<int:pk>/withdraw/", views.document_withdraw, name="withdraw"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/v<int:number>/download/", views.download, name="download_version"),
    path("<int:pk>/v<int:number>/preview.png", views.preview, name="preview"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting_ics"),
]
