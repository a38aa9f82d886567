-- wrk's summary as one JSON line (after the marker BENCH_JSON), read by bench/measure.py.
-- Latencies in microseconds; errors.status counts responses with a status of 400 or more.

local function number(value)
  -- No request completed: wrk's mean and deviation are NaN, which JSON cannot hold.
  if value ~= value then
    return 0
  end
  return value
end

done = function(summary, latency, requests)
  local errors = summary.errors
  -- No latency recorded: no request completed, or each one only after the timeout (counted in
  -- errors.timeout, and then wrk's minimum is left at its initial, meaningless value).
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
      .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    empty and 0 or latency.min, number(latency.mean), number(latency.stdev),
    empty and 0 or latency.max,
    percentile(50), percentile(90), percentile(99), percentile(99.9)
  ))
end
