from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "dichvucong.feedback"
    label = "feedback"
    verbose_name = "Đánh giá, phản ánh, kiến nghị"
