"""Message language selection (README §4, PROPOSED rule).

zh-CN gives the observed strings, en-US the English column of the catalogue. Without a
language the Python SDKs send the lang header empty: zh-CN for `x-authing-*` requests,
en-US for `x-genauth-*` requests.
"""

from __future__ import annotations

import pytest

from helpers import LONG_CODE, assert_error, unique_code
from sdks import load_sdk

ZH_FORMAT = "参数 code 格式错误"
EN_FORMAT = "Invalid parameter: code"


def client_for(env, package, lang):
    return load_sdk(package).client(env.pool1, env.host, lang=lang)


@pytest.mark.parametrize("package", ["genauth", "authing"])
def test_zh_cn_gives_the_observed_chinese_text(env, package):
    assert_error(client_for(env, package, "zh-CN").get_namespace(code=LONG_CODE), 400, ZH_FORMAT)


@pytest.mark.parametrize("package", ["genauth", "authing"])
def test_en_us_gives_the_english_text(env, package):
    assert_error(client_for(env, package, "en-US").get_namespace(code=LONG_CODE), 400, EN_FORMAT)


def test_authing_sdk_without_lang_gets_chinese(env):
    assert_error(client_for(env, "authing", None).get_namespace(code=LONG_CODE), 400, ZH_FORMAT)


def test_genauth_sdk_without_lang_gets_english(env):
    assert_error(client_for(env, "genauth", None).get_namespace(code=LONG_CODE), 400, EN_FORMAT)


@pytest.mark.parametrize("lang, message", [("zh-CN", "权限组不存在"), ("en-US", "Permission group not found")])
def test_not_found_messages_are_translated(env, lang, message):
    resp = client_for(env, "authing", lang).delete_namespace(code=unique_code("missing"))
    assert_error(resp, 404, message)


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_english_business_messages_stay_the_same(env, lang):
    resp = client_for(env, "genauth", lang).create_namespace(code="额！")
    assert_error(resp, 400, "invalid namespace code: 额！")
