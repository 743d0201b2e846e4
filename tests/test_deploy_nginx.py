"""The nginx config of the deployment guide (issue 7, item 8): Debian's nginx, started on
127.0.0.1 on a free port with ``deploy/nginx.conf`` serving the built demo, answers with
caching headers, gzip and the site's own 404 page."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

NGINX = "/usr/sbin/nginx"
CONF = ROOT / "deploy" / "nginx.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(demo_site, tmp_path_factory):
    """Base URL of nginx serving the demo with deploy/nginx.conf (listen and root replaced)."""
    if not Path(NGINX).exists():
        msg = "需要 Debian 的 nginx：以 root 运行 sh tools/ensure-test-tools.sh 会自动安装"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    work = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    server = CONF.read_text("utf-8")
    server = re.sub(r"^\s*listen \[::\]:80;\n", "", server, flags=re.M)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /var/www/theory;", f"root {demo_site};")
    (work / "server.conf").write_text(server, "utf-8")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the pytest temp folders (mode 0700)
    temp = "".join(f"{k}_temp_path {work / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n access_log off;\n{temp}"
        f" include {work / 'server.conf'};\n}}\n", "utf-8")
    test = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(work / "nginx.conf")], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)


def _get(url: str, gzip_ok: bool = True):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_pages_are_gzipped_and_revalidated(nginx, demo_site):
    status, headers, body = _get(nginx + "lectures/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert headers["Cache-Control"] == "no-cache" and headers["ETag"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert gzip.decompress(body) == (demo_site / "lectures" / "index.html").read_bytes()
    status, headers, _ = _get(nginx + "lectures/", gzip_ok=False)
    assert status == 200 and "Content-Encoding" not in headers


def test_hashed_assets_are_cached_for_a_year(nginx, demo_site):
    css = next((demo_site / "assets" / "stylesheets").glob("main.*.min.css"))
    status, headers, _ = _get(nginx + f"assets/stylesheets/{css.name}")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("text/css") and headers["Content-Encoding"] == "gzip"
    status, headers, _ = _get(nginx + "assets/jiangtang/fontsize.js")  # no hash in the name: revalidate
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    status, headers, _ = _get(nginx + "assets/images/favicon.png")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=604800"


def test_missing_page_gets_the_site_404(nginx):
    for path in ("no-such-page/", "lectures/no-such-lecture/", "a/b/c/d.html", "assets/javascripts/none.12345678.min.js"):
        status, headers, body = _get(nginx + path, gzip_ok=False)
        assert status == 404, path
        assert "页面不存在" in body.decode("utf-8"), path


def test_folder_without_slash_redirects_relatively(nginx):
    status, headers, _ = _get(nginx + "lectures")
    assert status == 301 and headers["Location"] == "/lectures/"


def test_deploy_guide_is_published_and_its_commands_parse(demo_site):
    """The guide (docs/deploy.md) is on the site with every hosting kind, and each
    ``python build.py …`` line in it is accepted by the real command-line parser."""
    import shlex

    from jiangtang.cli import _parser

    page = (demo_site / "deploy" / "index.html").read_text("utf-8")
    for heading in ("部署指南", "GitHub Pages", "GitLab Pages", "nginx", "aws s3 sync", "rclone", "离线版"):
        assert heading in page, heading
    assert ".github/workflows/pages.yml" in page and "deploy/nginx.conf" in page
    text = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    commands = re.findall(r"python build\.py ([^`\n]+)", text)
    assert len(commands) >= 4
    for line in commands:
        _parser().parse_args(shlex.split(line.split("（")[0]))
