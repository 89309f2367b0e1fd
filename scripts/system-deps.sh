#!/usr/bin/env bash
# Installs the system packages proofbench needs beyond Python: python3-venv (Debian's python3
# has no ensurepip without it, so `python3 -m venv` fails), and for the test suite Debian's
# Chromium (browser tests) and PostgreSQL (store tests). Does nothing for what is already there.
# Needs root, or a sudo that works without a password; otherwise it prints the one command to
# run by hand and exits 0, so `make test` goes on (the tests that need a missing part skip).
set -uo pipefail

PYTHON=${PYTHON:-python3}
missing=()
if command -v "$PYTHON" >/dev/null 2>&1 && ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

by_hand="sudo apt-get install -y --no-install-recommends ${missing[*]} fonts-dejavu-core"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]} and no apt-get here; install them by hand" >&2
  exit 0
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  # sudo -n fails at once where sudo would ask for a password: then say what to run, and stop.
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    echo "system-deps: missing ${missing[*]}; run this (it asks for your password):" >&2
    echo "  $by_hand" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -qq ||
   ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core >/dev/null; then
  echo "system-deps: apt-get could not install ${missing[*]}; try: $by_hand" >&2
fi
exit 0
