#!/usr/bin/env bash
# Runs the reliability harnesses and prints docs/reliability.md's summary table from what they report.
#
#   bench/reliability.sh          the suite's sizes (a few minutes on 2 cores)
#   bench/reliability.sh long     the long modes: crash 500 rounds (five registries of 100), workflow crash 60 kills,
#                                 fuzz 100,000 inputs per target, load 60 s (well over an hour on 2 cores)
#
# Each harness appends its own row (tests/Shared/ReliabilityTable.cs) to the file named by
# DONORREGISTRY_RELIABILITY_TABLE; the key-store damage and fuzz rows are counted here from the test results.
# The table is printed and kept in out/reliability/ (ignored by git). Exits non-zero when any harness failed.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-short}"
case "$mode" in
  short) ;;
  long)
    export DONORREGISTRY_CRASH_ROUNDS=500 DONORREGISTRY_WORKFLOW_CRASH_KILLS=60 DONORREGISTRY_FUZZ=long DONORREGISTRY_LOAD_SECONDS=60 ;;
  *) echo "usage: bench/reliability.sh [short|long]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="out/reliability"
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
rows="$out/rows-$stamp.md"
: >"$rows"
export DONORREGISTRY_RELIABILITY_TABLE="$PWD/$rows"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build DonorRegistry.sln -warnaserror >/dev/null

status=0
run() { # name, project, filter
  local name="$1" project="$2" filter="$3" started ended
  started=$(date +%s)
  echo "== $name ($filter)" >&2
  dotnet test "$project" --no-build --filter "$filter" --logger "trx;LogFileName=$name.trx" --results-directory "$results" >"$results/$name.log" 2>&1 || status=1
  ended=$(date +%s)
  echo "   $(grep -o '<Counters [^>]*>' "$results/$name.trx" | sed 's/.* passed="\([0-9]*\)".* failed="\([0-9]*\)".*/\1 passed, \2 failed/') in $((ended - started)) s" >&2
}
counts() { # name -> "P passed, F failed"
  grep -o '<Counters [^>]*>' "$results/$1.trx" | sed 's/.* total="\([0-9]*\)".* passed="\([0-9]*\)".* failed="\([0-9]*\)".*/\1 \2 \3/'
}

run damage tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Storage.DamageHarnessTests"
run keystores tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Protection.KeyStoreDamageTests"
run crash tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Storage.CrashHarnessTests"
run workflow-crash tests/DonorRegistry.Workflows.Tests "FullyQualifiedName~DonorRegistry.Workflows.Tests.Crash"
run power tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Storage.PowerLossTests"
run fuzz tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Fuzz"
run load tests/DonorRegistry.Tests "FullyQualifiedName~DonorRegistry.Tests.Storage.LoadTests"

read -r kt kp kf <<<"$(counts keystores)"
echo "| damaged key stores and ledgers | $kt seeded variants and swaps between registries | $kp refused at open or named on read, every other donor read back exactly | $kf failed | 0 |" >>"$rows"
read -r ft fp ff <<<"$(counts fuzz)"
inputs=5,000; [ "$mode" = long ] && inputs=100,000
echo "| fuzz | $ft tests, $inputs inputs per target | $fp passed: only documented exceptions, a refused input stores nothing | $ff failed | 0 |" >>"$rows"

table="$out/table-$stamp.md"
{
  echo "Run $stamp ($mode), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' with uncommitted changes'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
  echo
  echo "| harness | tried | checked or reported | lost or silently wrong | untyped exceptions |"
  echo "| --- | --- | --- | --- | --- |"
  cat "$rows"
} >"$table"
cat "$table"
[ "$status" -eq 0 ] || echo "a harness failed: see the logs above ($results is removed on exit; re-run the named filter)" >&2
exit "$status"
