-- wrk script for one page's first render (GET, as a browser's first request), signed in with the cookie in
-- BENCH_COOKIE. Used by bench-serve; every answer that is not a 200 (a redirect to the sign-in page, say) is counted.
--
--   BENCH_COOKIE='.AspNetCore.Identity.Application=...' wrk -t1 -c1 -d20s -s page.lua http://127.0.0.1:5000/training

local cookie = os.getenv("BENCH_COOKIE")
if cookie ~= nil and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  first = nil
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first == nil then first = status .. " " .. (headers["Location"] or string.sub(body or "", 1, 200)) end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local sample = nil
  for _, t in ipairs(threads) do
    bad = bad + t:get("non200")
    sample = sample or t:get("first")
  end
  -- One line for bench-serve (latencies in microseconds).
  local e = summary.errors
  io.write(string.format("bench-serve: requests=%d seconds=%.3f p50=%d p99=%d max=%d non200=%d errors=%d%s\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max, bad,
    e.connect + e.read + e.write + e.timeout, sample and (" first=" .. sample) or ""))
end
