#!/usr/bin/env bash
# The test command of the README: installs what the tests need, then runs the whole suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-system-deps.sh
# the explorer's JavaScript unit tests: Node's built-in runner, no npm package needed
node --test src/test/js/
mvn -B test "$@"
# the Spark module (spark/, hav batch) in Spark's local mode: it builds on the main artifact, installed first
mvn -B -q install -Dmaven.test.skip=true
mvn -B -f spark/pom.xml test "$@"
