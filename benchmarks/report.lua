-- wrk reporter: one JSON line with the throughput and latency percentiles (microseconds).
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, errors, summary.errors.status))
end
