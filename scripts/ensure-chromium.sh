#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright never downloads a browser here). Install it when missing
# and we may; otherwise say so: those tests then skip with the reason.
set -u
# Chinese pages need a CJK font for screenshots that show the text (not boxes).
if ! fc-list 2>/dev/null | grep -qi "noto sans cjk" && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; } >/dev/null 2>&1 \
    || echo "could not install fonts-noto-cjk: screenshots will show boxes for Chinese" >&2
fi
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium for the browser tests (apt-get install chromium)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "could not install Chromium: the browser tests will be skipped" >&2
else
  echo "Chromium is not installed: the browser tests will be skipped" >&2
fi
exit 0
