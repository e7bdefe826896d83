-- One case of benchmarks/http_side_by_side.py for wrk: the method, paths, headers and body come from the
-- environment (WRK_METHOD, WRK_PATHS: a file with one path per line, cycled; WRK_AUTH: Authorization header;
-- WRK_COOKIE; WRK_BODY: a file holding the body; WRK_CONTENT_TYPE; WRK_HEADERS). done() prints one line
-- `WRKJSON {...}` with the requests, the duration, the latency percentiles (µs) and the errors (non-2xx/3xx, timeouts, sockets).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function read_lines(name)
  local lines = {}
  for line in io.lines(name) do
    if line ~= "" then table.insert(lines, line) end
  end
  return lines
end

function init(args)
  local method = os.getenv("WRK_METHOD") or "GET"
  local headers = {}
  if os.getenv("WRK_AUTH") then headers["Authorization"] = os.getenv("WRK_AUTH") end
  if os.getenv("WRK_COOKIE") then headers["Cookie"] = os.getenv("WRK_COOKIE") end
  if os.getenv("WRK_CONTENT_TYPE") then headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") end
  -- WRK_HEADERS: further headers, one `Name: value` a line (Open Zaak's Accept-Crs)
  for line in string.gmatch(os.getenv("WRK_HEADERS") or "", "[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  local body = nil
  if os.getenv("WRK_BODY") then
    local f = io.open(os.getenv("WRK_BODY"), "rb")
    body = f:read("*a")
    f:close()
  end
  local paths = read_lines(os.getenv("WRK_PATHS"))
  requests_ = {}
  for i, p in ipairs(paths) do
    requests_[i] = wrk.format(method, p, headers, body)
  end
  -- each thread starts at another place in the list
  counter = (tonumber(tostring(args[1] or "0")) or 0) + math.random(#requests_)
end

function request()
  counter = counter + 1
  return requests_[(counter % #requests_) + 1]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.status, e.timeout, e.connect + e.read + e.write))
end
