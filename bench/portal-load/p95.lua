-- wrk script for the portal's load test: requests the page named by PAGE (dashboard, donor or search) with the
-- signed-in cookie in COOKIE, and prints the latency percentiles (p50, p95, p99) and the status counts at the end.
-- donor: a random donor page among DONORS donors (DR-00000001 ...); search: a POST of the search form with the
-- patient typing in PATIENT and the form's antiforgery token in TOKEN. Responses of 400 and above count as errors.
local page = os.getenv("PAGE") or "dashboard"
local cookie = os.getenv("COOKIE") or ""
local donors = tonumber(os.getenv("DONORS") or "100000")
local patient = os.getenv("PATIENT") or ""
local token = os.getenv("TOKEN") or ""

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  local headers = { ["Cookie"] = cookie }
  if page == "donor" then
    local id = string.format("DR-%08d", math.random(1, donors))
    return wrk.format("GET", "/Coordinator/Donor/" .. id, headers)
  elseif page == "search" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "Patient=" .. urlencode(patient) .. "&Threshold=PGroup&MaxMismatches=2&__RequestVerificationToken=" .. urlencode(token)
    return wrk.format("POST", "/Coordinator/Search", headers, body)
  end
  return wrk.format("GET", "/", headers)
end

done = function(summary, latency, requests)
  io.write(string.format("page=%s requests=%d errors=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    page, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
