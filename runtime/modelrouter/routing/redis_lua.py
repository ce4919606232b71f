"""The Lua scripts `RedisStore` runs: each one atomic step on one deployment's keys.

Times travel as strings (Lua numbers come back from Redis as truncated integers otherwise).
Every key gets a TTL, so a deployment nobody calls any more leaves nothing behind.
"""

from __future__ import annotations

__all__ = ["CHECK", "FAILED", "SPEND", "TAKE"]

# KEYS[1] health hash; ARGV now, probe lease. -> {verdict, until, consecutive failures}
CHECK = """
local v = redis.call('HMGET', KEYS[1], 'until', 'probe', 'fails')
local u = tonumber(v[1]) or 0
local fails = v[3] or '0'
if u == 0 then return {'ok', '0', fails} end
local now = tonumber(ARGV[1])
if now < u then return {'cooling', v[1], fails} end
local p = tonumber(v[2]) or 0
if p > now then return {'cooling', v[2], fails} end
local lease = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'probe', tostring(now + lease))
redis.call('EXPIRE', KEYS[1], math.ceil(lease) + 60)
return {'probe', v[1], fails}
"""

# KEYS[1] health hash; ARGV now, cooldown ('' = count it), threshold, cooldown after the
# threshold, probe lease. -> 1 when the deployment now cools down
FAILED = """
local now = tonumber(ARGV[1])
local cooldown = tonumber(ARGV[2])
local lease = tonumber(ARGV[5])
if not cooldown then
  local fails = redis.call('HINCRBY', KEYS[1], 'fails', 1)
  local probing = tonumber(redis.call('HGET', KEYS[1], 'probe')) or 0
  if fails < tonumber(ARGV[3]) and probing == 0 then
    redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4])) + 60)
    return 0
  end
  cooldown = tonumber(ARGV[4])
end
redis.call('HSET', KEYS[1], 'until', tostring(now + cooldown), 'probe', '0', 'fails', '0')
redis.call('EXPIRE', KEYS[1], math.ceil(cooldown + lease) + 60)
return 1
"""

# KEYS[1] this minute's usage hash; ARGV rpm ('' = none), tpm ('' = none). -> 1: counted
TAKE = """
local v = redis.call('HMGET', KEYS[1], 'r', 't')
local r = tonumber(v[1]) or 0
local t = tonumber(v[2]) or 0
if ARGV[1] ~= '' and r >= tonumber(ARGV[1]) then return 0 end
if ARGV[2] ~= '' and t >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('EXPIRE', KEYS[1], 120)
return 1
"""

# KEYS[1] this minute's usage hash; ARGV tokens.
SPEND = """
redis.call('HINCRBY', KEYS[1], 't', tonumber(ARGV[1]))
redis.call('EXPIRE', KEYS[1], 120)
return 1
"""
