-- wrk script for bench-serve's two loads, and for runs by hand:
--   * by default, POST /api/predict: a realistic video (all fields the form sends) and the owner's API key;
--   * with BENCH_PAGE=1, a GET of the URL's page (a page's first render), signed in with the cookie in BENCH_COOKIE.
--
--   Virality__ApiKey=... wrk -t1 -c32 -d20s --latency -s src/ViralityDashboard.DemoAndBenchmarks/Benchmarks/bench-serve.lua http://127.0.0.1:5000
--   BENCH_PAGE=1 BENCH_COOKIE='.AspNetCore.Identity.Application=...' wrk -t1 -c1 -d20s -s …/bench-serve.lua http://127.0.0.1:5000/training
--
-- The key comes from the same environment variable the app reads (Virality__ApiKey). Every response that is not a
-- 200 is counted and reported at the end (a wrong key's 401, no active model's 409, a lost sign-in's redirect), so
-- they cannot pass for a fast benchmark.

if os.getenv("BENCH_PAGE") == "1" then
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie ~= nil and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
else
  local key = os.getenv("Virality__ApiKey") or os.getenv("VIRALITY_API_KEY")
  if key == nil or key == "" then
    io.stderr:write("bench-serve.lua: set Virality__ApiKey to the app's API key\n")
    os.exit(2)
  end
  wrk.method = "POST"
  wrk.path = "/api/predict"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Api-Key"] = key
  wrk.body = [[{"views":184200,"likes":21450,"shares":1320,"comments":486,"saves":2210,"durationSeconds":27.5,]] ..
    [["hashtags":["fyp","cooking","pasta","recipe","foodtok"],"soundName":"original sound - chefmia","soundOriginal":true,]] ..
    [["description":"15-minute garlic butter pasta that tastes like a restaurant #fyp #cooking #pasta #recipe #foodtok",]] ..
    [["authorFollowers":48300,"authorVerified":false,"postedAt":"2026-10-14T18:32:00Z"}]]
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
  io.write(string.format("non-200 responses: %d\n", bad))
  if sample ~= nil then io.write("first non-200: " .. sample .. "\n") end
  -- One line for bench-serve (latencies in microseconds).
  local e = summary.errors
  io.write(string.format("bench-serve: requests=%d seconds=%.3f p50=%d p99=%d max=%d non200=%d errors=%d%s\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max, bad,
    e.connect + e.read + e.write + e.timeout, sample and (" first=" .. sample) or ""))
end
