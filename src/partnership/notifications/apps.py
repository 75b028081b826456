from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders of deadlines and news of records, in the site and by e-mail."""

    name = "partnership.notifications"
    verbose_name = _("Notifications")
