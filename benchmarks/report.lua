-- wrk script. Without arguments: the URL given to wrk, again and again. With a file of paths
-- (`wrk ... -s report.lua URL -- paths.txt`): each request the next path of the file, each
-- thread starting at its own place, round and round (the long-tail mode of benchmarks/run.py).
-- At the end: one JSON line with the throughput and latency percentiles (microseconds).
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local paths = {}
local position = 0
init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if line ~= "" then paths[#paths + 1] = line end
    end
    position = ((thread_number or 1) - 1) * 7919 % math.max(#paths, 1)
  end
end

request = function()
  if #paths == 0 then return wrk.request() end
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors, summary.errors.status))
end
