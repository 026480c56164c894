#!/usr/bin/env bash
# What the browser tests and the PDF evidence packs need from Debian: chromium (Playwright drives it; no
# browser download), DejaVu Sans and a CJK fallback font (the PDF pack prints names as loaded, Chinese
# included; without the fonts it falls back to Latin-1 and pinyin, and says so in the PDF).
# Idempotent: installs only what is missing; prints chromium's version either way.
#   TRACEGRAPH_CHROMIUM=/path/to/chromium bash scripts/chromium.sh   # use another chromium executable
set -euo pipefail

CHROMIUM="${TRACEGRAPH_CHROMIUM:-/usr/bin/chromium}"
PACKAGES=(fonts-dejavu-core fonts-droid-fallback)

if [ "$CHROMIUM" = /usr/bin/chromium ]; then
  PACKAGES+=(chromium fonts-liberation)
elif [ ! -x "$CHROMIUM" ]; then
  echo "chromium.sh: TRACEGRAPH_CHROMIUM=$CHROMIUM is not an executable" >&2
  exit 1
fi

MISSING=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || MISSING+=("$package")
done
if [ "${#MISSING[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "chromium.sh: installing ${MISSING[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${MISSING[@]}" >/dev/null
fi

"$CHROMIUM" --version
