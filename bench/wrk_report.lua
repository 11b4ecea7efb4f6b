-- wrk script of bench/loadgen.py: sends the benchmark's headers and reports the results as one
-- JSON line ("BENCH_JSON {...}") with latency percentiles and a count of every status code, so
-- that 3xx answers count as errors too (wrk's own "status" error counts only codes >= 400).
--
-- BENCH_HEADERS_FILE: header sets, one "Name: value" per line, sets separated by a blank line.
-- One set: every request sends it. Several: each thread cycles through them (for example one
-- session cookie per simulated browser), starting BENCH_SET_OFFSET sets further per thread.

local header_sets = {}
local headers_path = os.getenv("BENCH_HEADERS_FILE")
if headers_path and headers_path ~= "" then
  local current, filled = {}, false
  for line in io.lines(headers_path) do
    local name, value = line:match("^([^:]+):%s*(.-)%s*$")
    if name then
      current[name] = value
      filled = true
    elseif filled then
      table.insert(header_sets, current)
      current, filled = {}, false
    end
  end
  if filled then
    table.insert(header_sets, current)
  end
end

if #header_sets == 1 then
  for name, value in pairs(header_sets[1]) do
    wrk.headers[name] = value
  end
elseif #header_sets > 1 then
  counter = 0
  request = function()
    counter = counter + 1
    local set = header_sets[(counter % #header_sets) + 1]
    local headers = {}
    for name, value in pairs(set) do
      headers[name] = value
    end
    return wrk.format(nil, nil, headers)
  end
end

local threads = {}
local set_offset = tonumber(os.getenv("BENCH_SET_OFFSET") or "0") or 0

function setup(thread)
  thread:set("counter", #threads * set_offset)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local thread_statuses = thread:get("statuses")
    if thread_statuses then
      for code, n in pairs(thread_statuses) do
        counts[code] = (counts[code] or 0) + n
      end
    end
  end
  local parts = {}
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', code, n))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us": %.0f, "requests": %.0f, "bytes": %.0f, '
      .. '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}, '
      .. '"latency_us": {"min": %.0f, "mean": %.1f, "max": %.0f, "stdev": %.1f, '
      .. '"p50": %.0f, "p90": %.0f, "p95": %.0f, "p99": %.0f}, "statuses": {%s}}\n',
    summary.duration, summary.requests, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    table.concat(parts, ", ")
  ))
end
