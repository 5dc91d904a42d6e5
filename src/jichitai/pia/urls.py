app_name = "pia"

urlpatterns: list = []
