#!/usr/bin/env bash
# Screenshot an exported HTML report with headless Chromium, networking disabled, to check
# that math, charts and tables render offline.
#   scripts/screenshot.sh exports/demo-hello.html [/tmp/demo-hello.png] [1200,1600]
# Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail
html="${1:?usage: scripts/screenshot.sh REPORT.html [OUT.png] [WIDTH,HEIGHT]}"
out="${2:-/tmp/$(basename "${html%.html}").png}"
size="${3:-1200,1600}"
[ -f "$html" ] || { echo "screenshot: no such file: $html" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "screenshot: chromium not found (apt-get install -y chromium)" >&2; exit 2; }
abs="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# --proxy-server to a closed port + host-resolver rules: any network request fails, so only
# what is inside the file can render.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --disable-default-apps \
  --proxy-server="http://127.0.0.1:9" --host-resolver-rules="MAP * ~NOTFOUND" \
  --user-data-dir="$profile" --hide-scrollbars --virtual-time-budget=3000 \
  --screenshot="$out" --window-size="$size" "file://$abs" >/dev/null 2>&1 || true
[ -s "$out" ] || { echo "screenshot: chromium produced no image" >&2; exit 1; }
echo "$out"
