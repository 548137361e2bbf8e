#!/usr/bin/env bash
# Fails when nbdev_clean or nbdev_export would change anything: notebooks must be clean and deepred/ exported.
set -euo pipefail
cd "$(dirname "$0")/.."
snap() { cat nbs/*.ipynb deepred/*.py README.md data/SOURCES.md | sha256sum; }
before=$(snap)
nbdev_clean >/dev/null
nbdev_export
python tools/make_readme.py >/dev/null
python tools/make_sources.py >/dev/null
after=$(snap)
if [ "$before" != "$after" ]; then
  echo "notebooks, deepred/, README.md or data/SOURCES.md were out of sync: run 'make export' and commit the result" >&2
  git --no-pager diff --stat 2>/dev/null || true
  exit 1
fi
echo "notebooks clean; deepred/ and README.md in sync"
