from django.urls import path

from partnership.public import views

app_name = "public"
urlpatterns = [
    path("", views.factsheet, name="factsheet"),
    path("timeline/", views.timeline, name="timeline"),
    path("milestones/<int:number>/", views.milestone_detail, name="milestone"),
    path("organizations/", views.organization_list, name="organizations"),
]
