"""The server's own protections, on the running app: an upload without the page's XSRF token
is refused (a form on another site cannot post a file into the history), and the app's own
upload limit never exceeds Streamlit's."""

from __future__ import annotations

import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ui.shared import settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def test_an_upload_without_the_pages_xsrf_token_is_refused(app_url):
    request = urllib.request.Request(
        app_url + "/_stcore/upload_file/some-session/some-file",
        data=b"--x\r\nContent-Disposition: form-data; name=file; filename=p.xlsx\r\n\r\nPK\r\n--x--",
        method="PUT",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert b"XSRF" in refused.value.read()


def test_the_config_keeps_xsrf_on_no_traceback_and_the_limits_in_step():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["address"] == "127.0.0.1"  # localhost unless opened on purpose
    assert config["client"]["showErrorDetails"] == "none"
    assert settings().max_upload_mb <= config["server"]["maxUploadSize"]
