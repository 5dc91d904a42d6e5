app_name = "linkage"

urlpatterns: list = []
