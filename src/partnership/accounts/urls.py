from django.urls import path

from partnership.accounts import views

app_name = "accounts"
urlpatterns = [
    path("second-factor/", views.mfa, name="mfa"),
    path("second-factor/authenticator/", views.totp, name="totp"),
    path("second-factor/verify/", views.verify, name="verify"),
    path("second-factor/reset/<int:pk>/", views.reset, name="reset"),
]
