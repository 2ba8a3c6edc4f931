#!/usr/bin/env bash
# Installs the Debian packages the tests use, once: headless Chromium and its chromedriver (to open and drive the
# report), Node.js (the explorer's JavaScript unit tests), Debian's torch and onnx for /usr/bin/python3 (the exporter
# round trip of python/hav_export.py).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs)   # the explorer's JavaScript unit tests (node --test)
if [ -x /usr/bin/python3 ]; then
  /usr/bin/python3 -c "import torch" >/dev/null 2>&1 || need+=(python3-torch)
  /usr/bin/python3 -c "import onnx" >/dev/null 2>&1 || need+=(python3-onnx)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (apt-get)" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "warning: ${need[*]} missing and cannot be installed here (not root or no apt-get); the tests that need it are skipped" >&2
  fi
fi
