from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "arvio.demo"
    verbose_name = "Demo"
