"""An authentication backend for the test settings only: django-axes' backend, except that a
login without a request (Django's ``Client.login``) is not counted instead of refused."""

from axes.backends import AxesBackend


class RequestOptionalAxesBackend(AxesBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
