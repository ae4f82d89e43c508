"""``mediastats push test`` (a signed sample, recorded like any delivery), the SSRF guard, and
the WMSPanel signature helpers against values worked out by hand."""

from __future__ import annotations

import base64
import hashlib

import pytest
from typer.testing import CliRunner

from mediastats.push.bodies import digest, stream_signature
from mediastats.push.cli import push_app
from mediastats.push.targets import TargetRefused, check_target
from tests.push.conftest import api
from tests.push.signatures import assert_digest, assert_nimble_signature, assert_standard_webhook


def test_push_test_sends_a_signed_sample(server, account, receivers, subscribe):
    rx = receivers()
    sub = subscribe(account, rx.url, ["server_offline", "daily_stats"], token="cli-token")
    result = CliRunner().invoke(push_app, ["test", sub["id"], "--data-dir", str(server.data_dir)])
    assert result.exit_code == 0, result.output
    assert "200" in result.output
    got = rx.wait_for(1)
    assert got[0].body["status"] == "offline" and got[0].body["server_id"] == "sample-server"
    assert_digest(got[0].body, "cli-token")
    assert_standard_webhook(got[0], sub["secret"])

    result = CliRunner().invoke(push_app, ["test", sub["id"], "--event", "stream_unpublish",
                                           "--data-dir", str(server.data_dir)])
    assert result.exit_code == 0, result.output
    body = rx.wait_for(2)[1].body
    assert body["unpublish"][0]["stream"] == "live/sample"
    assert_nimble_signature(body, "cli-token")

    result = CliRunner().invoke(push_app, ["test", sub["id"], "--event", "daily_stats",
                                           "--data-dir", str(server.data_dir)])
    assert result.exit_code == 0, result.output
    day = rx.wait_for(3)[2].body["statistics"]["sample"]["stats"][0][0]
    assert day["players"] == {"Unknown": 0, "Flash": 0} and day["devices"] == {"Unknown": 0}

    with api(server, account.api_key) as c:
        listed = c.get("/v1/push/deliveries").json()["deliveries"]
    assert [(d["event"], d["status"]) for d in listed] == [
        ("daily_stats", "delivered"), ("stream_unpublish", "delivered"), ("server_offline", "delivered"),
    ]


def test_push_test_reports_a_failure_and_does_not_retry(server, account, receivers, subscribe):
    rx = receivers(default=503)
    sub = subscribe(account, rx.url, ["stream_publish"])
    result = CliRunner().invoke(push_app, ["test", sub["id"], "--data-dir", str(server.data_dir)])
    assert result.exit_code == 1
    assert "503" in result.output
    with api(server, account.api_key) as c:
        (delivery,) = c.get("/v1/push/deliveries").json()["deliveries"]
    assert delivery["status"] == "failed"
    assert len(rx.settle(1.0)) == 1


def test_push_test_unknown_subscription(server):
    result = CliRunner().invoke(push_app, ["test", "sub-nope", "--data-dir", str(server.data_dir)])
    assert result.exit_code == 1
    assert "no subscription" in result.output


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://localhost:8080/x", "http://10.1.2.3/", "http://192.168.0.10/",
    "http://172.16.5.5/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fe80::1]/",
    "http://0.0.0.0/", "http://100.64.1.1/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/",
])
def test_private_targets_are_refused_unless_allowed(url):
    with pytest.raises(TargetRefused, match="MEDIASTATS_PUSH_ALLOW_PRIVATE"):
        check_target(url, allow_private=False)
    check_target(url, allow_private=True)


@pytest.mark.parametrize("url", ["ftp://example.com/", "http:///nohost", "file:///etc/passwd", "http://x:99999/"])
def test_non_http_urls_are_refused(url):
    with pytest.raises(TargetRefused):
        check_target(url, allow_private=True)


def test_public_address_is_allowed():
    check_target("https://93.184.215.14/hook", allow_private=False)
    check_target("http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/", allow_private=False)


def test_signature_helpers_match_the_wmspanel_formulas():
    assert digest("2014-10-16 03:13:31 UTC", "abc") == hashlib.md5(b"2014-10-16 03:13:31 UTCabc").hexdigest()
    raw = hashlib.md5(b"srv-1" + b"0f6e6c1b-52a5-4d4c-9f0b-6b8f4cbe0a11" + b"tok").digest()
    assert stream_signature("srv-1", "0f6e6c1b-52a5-4d4c-9f0b-6b8f4cbe0a11", "tok") == base64.b64encode(raw).decode()
    assert len(base64.b64decode(stream_signature("a", "b", "c"))) == 16
