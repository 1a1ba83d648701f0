#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the project needs that pip cannot provide, only when missing.
#   scripts/system-deps.sh run    gettext (to compile the interface catalogues), python3-venv,
#                                 fonts-noto-core (the printed guide's Arabic, Ethiopic... fonts)
#   scripts/system-deps.sh test   the above, plus chromium for the browser tests and
#                                 poppler-utils (pdftotext, pdffonts, pdfinfo: the PDF tests)
set -euo pipefail
want=(gettext fonts-noto-core)
python3 -m venv --help >/dev/null 2>&1 || want+=(python3-venv)
if [ "${1:-run}" = test ]; then
  want+=(chromium poppler-utils)
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null; then
  echo "Please install: ${missing[*]} (no apt-get on this machine)" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
