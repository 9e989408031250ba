"""The web app and HTTP API (``newsprism serve``). Import ``newsprism.web.app`` to build the app."""
