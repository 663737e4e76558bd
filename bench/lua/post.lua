-- wrk script: POSTs the body in $BODY_FILE (read as bytes, so it may be binary) with $AUTH (if set),
-- Content-Type $CONTENT_TYPE (default application/json) and any extra headers in $HEADERS (one
-- "Name: value" per line), counts statuses, and prints latency percentiles (incl. p99.9) and status
-- counts as one machine-readable line.
local body_file = os.getenv("BODY_FILE")
local auth = os.getenv("AUTH")
local content_type = os.getenv("CONTENT_TYPE")
local extra = os.getenv("HEADERS")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = (content_type and content_type ~= "") and content_type or "application/json"
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end
if extra and extra ~= "" then
  for line in extra:gmatch("[^\n]+") do
    local name, value = line:match("^%s*([^:]+):%s*(.-)%s*$")
    assert(name, "HEADERS: expected 'Name: value' lines, saw " .. line)
    wrk.headers[name] = value
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  no_retry_after = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    no_retry_after = no_retry_after + 1
  end
end

function done(summary, latency, requests)
  local counts = {}
  local missing = 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do
      counts[k] = (counts[k] or 0) + v
    end
    missing = missing + t:get("no_retry_after")
  end
  local parts = {}
  for k, v in pairs(counts) do
    table.insert(parts, k .. ":" .. v)
  end
  io.write(string.format("RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f errors=%d statuses=%s no_retry_after=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ","), missing))
end
