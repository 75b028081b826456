"""The partnership platform: the Django project."""
