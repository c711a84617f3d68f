"""The baseline of the throughput benchmark: a bare Pyramid app answering ``/states/KEN`` with a short text."""

from pyramid.config import Configurator
from pyramid.response import Response


def hello(request):
    return Response("Hello, Kenya!", content_type="text/plain")


def make_app():
    with Configurator() as config:
        config.add_route("state", "/states/KEN")
        config.add_view(hello, route_name="state")
        return config.make_wsgi_app()


app = make_app()
