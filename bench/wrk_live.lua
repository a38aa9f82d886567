-- The live mode's readers: each request goes to a page drawn by popularity (Zipf-like), and
-- each answer's X-Cache header is counted. The pages come from a file given after `--`:
-- one line per page, "<cumulative weight> <path>", weights ascending up to 1.

local paths, weights = {}, {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local weight, path = line:match("^(%S+) (.+)$")
    table.insert(weights, tonumber(weight))
    table.insert(paths, path)
  end
  math.randomseed(tonumber(args[2] or "1") + (id or 0))
  hits, misses, uncached, failed = 0, 0, 0, 0
end

local function pick()
  local r = math.random()
  local low, high = 1, #weights
  while low < high do
    local middle = math.floor((low + high) / 2)
    if weights[middle] < r then
      low = middle + 1
    else
      high = middle
    end
  end
  return paths[low]
end

function request()
  return wrk.format("GET", pick())
end

function response(status, headers, body)
  if status >= 400 then
    failed = failed + 1
  end
  local state = headers["X-Cache"]
  if state == "hit" then
    hits = hits + 1
  elseif state == "miss" then
    misses = misses + 1
  else
    uncached = uncached + 1
  end
end

local function number(value)
  if value ~= value then
    return 0
  end
  return value
end

function done(summary, latency, requests)
  local h, m, u, f = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    u = u + thread:get("uncached")
    f = f + thread:get("failed")
  end
  local errors = summary.errors
  local empty = summary.requests == 0 or latency.max == 0
  local function percentile(p)
    if empty then
      return 0
    end
    return latency:percentile(p)
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,'
      .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d},'
      .. '"cache":{"hit":%d,"miss":%d,"none":%d,"failed":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    empty and 0 or latency.min, number(latency.mean), number(latency.stdev),
    empty and 0 or latency.max,
    percentile(50), percentile(90), percentile(99), percentile(99.9),
    h, m, u, f
  ))
end
