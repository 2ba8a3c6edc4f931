#!/usr/bin/env bash
# Installs the Debian packages the tests use (headless Chromium and its chromedriver to open and drive the report;
# Node.js for the explorer's JavaScript unit tests), once.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs)   # the explorer's JavaScript unit tests (node --test)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (apt-get)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "warning: ${need[*]} missing and cannot be installed here (not root or no apt-get); the tests that need it are skipped" >&2
  fi
fi
