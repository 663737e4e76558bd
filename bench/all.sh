#!/usr/bin/env bash
# Every benchmark, in one command: HTTP serving (limit / Scoria / peer, overload), the Open Inference
# Protocol route against the Azure route, startup and footprint, 100 services, and the JMH code-path
# benchmark. Each part is bounded in time; all on loopback.
# Usage: bench/all.sh [seconds per HTTP measurement, default 10]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests -pl scoria-cli,bench/jmh -am package
bench/run.sh "${1:-10}" 60
bench/v2.sh "${1:-10}"
bench/startup.sh 3
bench/many-services.sh 100
java -jar bench/jmh/target/benchmarks.jar RequestParsing
