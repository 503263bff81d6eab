-- wrk script: each connection alternates reserve and commit on the credits API (a pair = two requests).
local threads = {}
local counter = 0
local pending = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("VERSANA_KEY")
  wrk.headers["Content-Type"] = "application/json"
  run = os.getenv("VERSANA_RUN") or "run"
end

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/v1/workspaces/load/reservations/" .. id .. "/commit", nil, "{}")
  end
  counter = counter + 1
  -- wrk.format uses the given headers instead of wrk.headers, so they are all repeated here.
  local headers = {
    ["Authorization"] = wrk.headers["Authorization"],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. tid .. "-" .. counter,
  }
  return wrk.format("POST", "/v1/workspaces/load/reservations", headers, '{"feature":"ConversationSummary"}')
end

function response(status, headers, body)
  if status == 201 then
    local id = string.match(body, '"id":"(res_[0-9a-f]+)"')
    if id then table.insert(pending, id) end
  end
end
