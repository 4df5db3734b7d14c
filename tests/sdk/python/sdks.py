"""The two official Python SDK packages under test (genauth and authing 5.1.0)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from portcullis_server import AccessKey

SDK_PACKAGES = ("genauth", "authing")


@dataclass(frozen=True)
class Sdk:
    """One official Python SDK package."""

    name: str
    ManagementClient: type
    exception: type  # GenAuthException / AuthingException(statusCode, message, apiCode)
    header_prefix: str

    def client(self, key: AccessKey, host: str, lang: str | None = "zh-CN"):
        # The suites assert the observed zh-CN messages, so they ask for zh-CN explicitly;
        # test_language.py covers what happens without `lang`.
        return self.ManagementClient(
            access_key_id=key.access_key_id,
            access_key_secret=key.access_key_secret,
            host=host,
            lang=lang,
        )


def load_sdk(name: str) -> Sdk:
    module = importlib.import_module(name)
    if name == "genauth":
        exception = importlib.import_module("genauth.GenAuthException").GenAuthException
    else:
        exception = importlib.import_module("authing.AuthingException").AuthingException
    return Sdk(name=name, ManagementClient=module.ManagementClient, exception=exception, header_prefix=f"x-{name}-")
