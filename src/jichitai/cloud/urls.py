app_name = "cloud"

urlpatterns: list = []
