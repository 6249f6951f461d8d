-- wrk script: POST one JSON body to /api/tools/<tool> and sort the answers.
-- Usage: wrk -s post.lua <url> -- <tool> <json-body>
-- Prints one JSON line (prefixed "RESULT ") with the counts and the latency percentiles.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   wrk.method = "POST"
   wrk.path = "/api/tools/" .. args[1]
   wrk.body = args[2]
   wrk.headers["Content-Type"] = "application/json"
   ok, busy, failed, non200 = 0, 0, 0, 0
   failure = ""
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
   elseif body:find('"isError":true', 1, true) then
      -- busy results: a plugin had no call slot in time (with retryAfterMs), the registry's
      -- queue was full, or (before calls waited their turn) a plugin refused at once
      if body:find('"retryAfterMs"', 1, true) or body:find('the host is busy', 1, true)
            or body:find('calls in flight, its limit', 1, true) then
         busy = busy + 1
      else
         failed = failed + 1
         if failure == "" then
            failure = body
         end
      end
   else
      ok = ok + 1
   end
end

function done(summary, latency, requests)
   local total = { ok = 0, busy = 0, failed = 0, non200 = 0 }
   local failure = ""
   for _, thread in ipairs(threads) do
      for key, _ in pairs(total) do
         total[key] = total[key] + thread:get(key)
      end
      if failure == "" then
         failure = thread:get("failure")
      end
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests":%d,"duration_us":%d,"ok":%d,"busy":%d,"failed":%d,"non200":%d,'
         .. '"socket_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"first_failure":%q}\n',
      summary.requests, summary.duration, total.ok, total.busy, total.failed, total.non200,
      e.connect + e.read + e.write, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max, failure:sub(1, 300)))
end
