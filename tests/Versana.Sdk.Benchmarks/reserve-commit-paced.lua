-- wrk script: reserve-commit.lua with a pause before every request (VERSANA_DELAY_MS), so a known number
-- of connections offers a known rate: connections / (delay + latency). The load stays out of process.
dofile(os.getenv("VERSANA_SCRIPT_DIR") .. "/reserve-commit.lua")

local pause = tonumber(os.getenv("VERSANA_DELAY_MS") or "1")

function delay()
  return pause
end
