from tests.conftest import Account
from tests.surfaces.streamroot.conftest import Post, fixed, ok, view


def test_smoke(account: Account, post: Post) -> None:
    account.send(view("a", 0.5, 3, 5.2, delivery="cdn"))
    r = post(account, "audience", fixed(0, 10))
    print(r.status_code, r.text)
    for ep in ["audience/timeseries", "traffic", "traffic/timeseries", "bandwidth", "bandwidth/timeseries",
               "buffering", "buffering/timeseries", "platforms", "streams"]:
        r = post(account, ep, fixed(0, 10, interval="5m"))
        print(ep, r.status_code, r.text[:300])
    assert ok(r)
