-- wrk script: the /ping baseline with wrk doing per request what reserve-commit.lua makes it do — the request
-- built in Lua with the same headers, every response handed to Lua and searched — so that on a machine where
-- wrk and the server share the cores, both runs leave the server the same CPU. The key goes in a header the
-- server does not read: the baseline stays a trivial endpoint.
local counter = 0

function init(args)
  key = "Bearer " .. os.getenv("VERSANA_KEY")
  run = os.getenv("VERSANA_RUN") or "run"
end

function request()
  counter = counter + 1
  local headers = {
    ["X-Load-Key"] = key,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. counter,
  }
  return wrk.format("GET", "/ping", headers)
end

function response(status, headers, body)
  if status == 200 then
    local _ = string.match(body, '"id":"(res_[0-9a-f]+)"')
  end
end
