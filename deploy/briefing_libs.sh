#!/usr/bin/env bash
# The Debian libraries WeasyPrint loads to draw the country briefing (cases/briefing.py): Pango
# with its FreeType backend, HarfBuzz's subsetter (fonts are embedded as subsets), and DejaVu as
# the fallback font for characters outside the bundled Noto Sans. WeasyPrint's install notes list
# Pango, pangoft2, HarfBuzz and its subsetter, fontconfig and GObject; the first three pull in the rest.
# Installs what is missing when run as root (`make run`, `.ci/run`); otherwise says what to install.
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The PDF country briefings need: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
fi
