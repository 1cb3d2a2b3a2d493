"""URLs of asset pools and tape imports."""

app_name = "assets"

urlpatterns: list = []
