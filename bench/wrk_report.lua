-- wrk script of bench/loadgen.py: sends the benchmark's headers and reports the results as one
-- JSON line ("BENCH_JSON {...}") with latency percentiles and a count of every status code, so
-- that 3xx answers count as errors too (wrk's own "status" error counts only codes >= 400).
--
-- BENCH_HEADERS_FILE: header sets, one "Name: value" per line, sets separated by a blank line.
-- One set: every request sends it. Several: each thread cycles through them (for example one
-- session cookie per simulated browser), starting BENCH_SET_OFFSET sets further per thread.
--
-- BENCH_REQUESTS_FILE: requests to rotate through instead of the URL's path, one per line:
-- METHOD <tab> PATH <tab> BODY <tab> Name: value <tab> Name: value ... (BODY may be empty).
-- The lines are split into BENCH_THREADS contiguous parts, one per thread; a thread sends the
-- requests of its part in order (and starts over at the end of it). So no two threads ever send
-- the same line, and a list of one-time requests (each application a new one) is used once
-- when it is long enough.
--
-- BENCH_DELAY_MS: a pause before each request on a connection, uniformly random between 0 and
-- twice this value (think time of a person); unset or 0: none (a closed loop without pauses).

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

local function split_tabs(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local requests_path = os.getenv("BENCH_REQUESTS_FILE")
local request_lines = nil
if requests_path and requests_path ~= "" then
  request_lines = {}
  for line in io.lines(requests_path) do
    if line ~= "" then
      table.insert(request_lines, line)
    end
  end
end

local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
if delay_ms > 0 then
  math.randomseed(os.time())
  delay = function()
    return math.random() * 2 * delay_ms
  end
end

if #header_sets == 1 then
  for name, value in pairs(header_sets[1]) do
    wrk.headers[name] = value
  end
end

if request_lines then
  -- This thread's part of the lines: [first, last]; `position` is the next one to send.
  local part_first, part_last, position = nil, nil, nil
  request = function()
    if part_first == nil then
      local threads = tonumber(os.getenv("BENCH_THREADS") or "1") or 1
      local index = thread_index or 0
      local size = math.floor(#request_lines / threads)
      if size < 1 then
        part_first, part_last = 1, #request_lines
      else
        part_first = index * size + 1
        part_last = part_first + size - 1
      end
      position = part_first
    end
    local fields = split_tabs(request_lines[position])
    position = position + 1
    if position > part_last then
      position = part_first
    end
    local headers = {}
    if #header_sets == 1 then
      for name, value in pairs(header_sets[1]) do
        headers[name] = value
      end
    end
    for i = 4, #fields do
      local name, value = fields[i]:match("^([^:]+):%s*(.-)%s*$")
      if name then
        headers[name] = value
      end
    end
    local body = fields[3]
    if body == "" then
      body = nil
    end
    return wrk.format(fields[1], fields[2], headers, body)
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
  thread:set("thread_index", #threads)
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
