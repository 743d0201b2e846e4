#!/bin/sh
# Install what the tests need from Debian's packages when it is missing.
# As root: apt-get update, then the packages. Elsewhere: say what to run.
# In CI (CI=true) a tool that is still missing fails the run; tests never skip there.
set -u
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
# CJK fonts: screenshots and rendering checks need real Chinese glyphs
[ -d /usr/share/fonts/opentype/noto ] || missing="$missing fonts-noto-cjk"
# Nu HTML Checker (vnu.jar from npm) runs on Java; the nginx config is tested with Debian's nginx
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "安装测试所需的软件包：$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || {
      echo "安装失败：$missing" >&2; exit 1; }
  elif [ "${CI:-}" = "true" ]; then
    echo "缺少测试所需的软件包：$missing（请以 root 运行，或先执行 sudo apt-get install$missing）" >&2
    exit 1
  else
    echo "提示：缺少$missing，浏览器测试将跳过（sudo apt-get install$missing 后可运行）" >&2
  fi
fi
# npm dev tools pinned in package-lock.json (vnu-jar, axe-core); no install scripts: nothing is downloaded
# beyond the npm registry (vnu-jar's own script would fetch a Java runtime).
cd "$(dirname "$0")/.." || exit 1
if command -v npm >/dev/null 2>&1 && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error || {
    echo "npm ci 失败（package-lock.json）" >&2; [ "${CI:-}" = "true" ] && exit 1; }
fi
exit 0
