from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "kuzot.recommendations"
    label = "recommendations"
