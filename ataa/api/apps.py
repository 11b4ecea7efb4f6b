from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ataa.api"
    label = "api"
