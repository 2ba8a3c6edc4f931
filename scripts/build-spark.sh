#!/usr/bin/env bash
# Builds the optional Spark module (spark/, for `hav batch`): installs the main artifact into the local Maven
# repository, then packages spark/ (Maven downloads Apache Spark once, about 250 MB). Extra arguments go to both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B install -Dmaven.test.skip=true "$@"
rm -rf spark/target/lib  # copy-dependencies never removes a jar of an older version
mvn -q -B -f spark/pom.xml package -DskipTests "$@"
