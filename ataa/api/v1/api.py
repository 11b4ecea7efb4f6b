from ninja import NinjaAPI

api = NinjaAPI(title="Ataa API", version="1.0.0", urls_namespace="api-v1")


@api.get("/ping", auth=None)
def ping(request):
    return {"status": "ok"}
