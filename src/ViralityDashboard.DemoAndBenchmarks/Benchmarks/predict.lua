-- wrk script for POST /api/predict: a realistic video (all fields the form sends) and the owner's API key.
--
--   Virality__ApiKey=... wrk -t1 -c64 -d20s --latency -s src/ViralityDashboard.DemoAndBenchmarks/Benchmarks/predict.lua http://127.0.0.1:5000
--
-- The key comes from the same environment variable the app reads (Virality__ApiKey). Every response that
-- is not a 200 is counted and reported at the end, so a wrong key (401) or no active model (409) cannot
-- pass for a fast benchmark.

local key = os.getenv("Virality__ApiKey") or os.getenv("VIRALITY_API_KEY")
if key == nil or key == "" then
  io.stderr:write("predict.lua: set Virality__ApiKey to the app's API key\n")
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
    if first == nil then first = status .. " " .. string.sub(body or "", 1, 200) end
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
