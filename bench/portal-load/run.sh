#!/usr/bin/env bash
# The web portal's load test (issue 11): the dashboard, a donor's page and the patient search, each under wrk with
# 4 connections for 30 s on loopback, against a registry made by the benchmarks' --portal-fixture (a real registry of
# N volunteers recruited through the verbs, with a coordinator account for the test). Prints one line per page with
# its p50, p95 and p99 latency.
#
#   dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --portal-fixture 100000 /tmp/portal-100k
#   bench/portal-load/run.sh /tmp/portal-100k [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
fixture=${1:?usage: run.sh FIXTURE_FOLDER [seconds] [connections]}
seconds=${2:-30}
connections=${3:-4}
command -v wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update >/dev/null && apt-get install -y curl >/dev/null; }

dotnet build -c Release samples/BranchPortal -v q -nologo >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
work=$(mktemp -d)
dotnet samples/BranchPortal/bin/Release/net10.0/BranchPortal.dll --registry "$fixture/registry.db" --key-file "$fixture/registry.key" \
  --urls "$base" >"$work/portal.log" 2>&1 &
portal=$!
trap 'kill $portal 2>/dev/null || true; wait $portal 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$base/healthz" >/dev/null || { echo "the portal did not start:" >&2; cat "$work/portal.log" >&2; exit 1; }

# Sign in as the fixture's coordinator: the sign-in form's antiforgery token, then the form.
jar="$work/cookies"
token() { sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -n 1; }
signin_token=$(curl -fs -c "$jar" -b "$jar" "$base/Account/SignIn" | token)
curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "UserName=$(cat "$fixture/coordinator.user")" \
  --data-urlencode "Password=$(cat "$fixture/coordinator.password")" --data-urlencode "__RequestVerificationToken=$signin_token" \
  "$base/Account/SignIn"
cookie=$(awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$jar")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/Coordinator")
[ "$status" = 200 ] || { echo "sign-in failed: /Coordinator answered $status" >&2; exit 1; }

# The patient for the search: typed as donor 1 (so the search has matches), and the search form's token.
patient=$(curl -fs -H "Cookie: $cookie" "$base/Coordinator/Donor/DR-00000001" | sed -n 's/.*id="donor-hla">\([^<]*\)<.*/\1/p' | head -n 1 |
  python3 -c 'import html, sys; print(html.unescape(sys.stdin.read().strip()))')
search_token=$(curl -fs -H "Cookie: $cookie" "$base/Coordinator/Search" | token)
donors=$(cat "$fixture/donors")

# The measured requests must be the real pages: a search that finds donors (not a page refusing the form).
found=$(curl -fs -H "Cookie: $cookie" --data-urlencode "Patient=$patient" --data-urlencode "Threshold=PGroup" --data-urlencode "MaxMismatches=2" \
  --data-urlencode "__RequestVerificationToken=$search_token" "$base/Coordinator/Search" | grep -o 'DR-[0-9]\{8\}' | sort -u | wc -l)
[ "$found" -gt 0 ] || { echo "the search for $patient found no donor: not measuring a refusal" >&2; exit 1; }
echo "search for the patient typed as DR-00000001 ($patient): $found donors on the results page"

echo "portal load: $donors donors, $connections connections, ${seconds} s per page, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for page in dashboard donor search; do
  PAGE=$page COOKIE=$cookie DONORS=$donors PATIENT=$patient TOKEN=$search_token \
    wrk -t 2 -c "$connections" -d "${seconds}s" --timeout 10s -s bench/portal-load/p95.lua "$base" | grep '^page='
done
