"""Drive a Lambda entry as API Gateway would, with HTTP API payload v2 events built from a recorded fixture."""

import base64
import copy
import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

EVENT = json.loads((Path(__file__).parent / "events" / "http_api_v2_get.json").read_text())


class LambdaResponse:
    def __init__(self, result: dict):
        self.status_code = result["statusCode"]
        self.headers = {k.title(): v for k, v in result.get("headers", {}).items()}
        self.cookies = result.get("cookies", [])
        body = result.get("body", "")
        self.body = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()

    def get_data(self, as_text=False):
        return self.body.decode() if as_text else self.body


class LambdaClient:
    """The subset of Flask's test client the journey tests use, keeping cookies like a browser."""

    def __init__(self, handler):
        self.handler = handler
        self.cookies = {}
        self.headers = {}  # sent with every request, like an API client's Authorization header

    def open(self, method, url, data=None):
        parts = urlsplit(url)
        event = copy.deepcopy(EVENT)
        event["rawPath"] = event["requestContext"]["http"]["path"] = parts.path
        event["rawQueryString"] = parts.query
        event["requestContext"]["http"]["method"] = method
        event["cookies"] = [f"{name}={value}" for name, value in self.cookies.items()]
        event["headers"].update({name.lower(): value for name, value in self.headers.items()})
        if data is not None:
            body = urlencode(data, doseq=True)
            event["headers"]["content-type"] = "application/x-www-form-urlencoded"
            event["body"] = base64.b64encode(body.encode()).decode()
            event["isBase64Encoded"] = True
        response = LambdaResponse(self.handler(event, None))
        for cookie in response.cookies:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response

    def get(self, url):
        return self.open("GET", url)

    def post(self, url, data=None):
        return self.open("POST", url, data or {})
