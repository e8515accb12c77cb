-- Ember's scripting environment, run once when the Lua state is created (Redis 7.0's
-- scriptingInit / luaEnvInit). Java has already set the global tables redis, cjson, bit, struct,
-- cmsgpack (as far as implemented) and the private __ember table with the helpers used here.
local ember = __ember
__ember = nil
local make_proxy = newproxy
java = nil                 -- luajava's own module: not part of Redis's Lua
-- removed from Redis 7.0.15's globals
loadfile = nil
dofile = nil
print = nil
newproxy = nil

local rawget, rawset, error, type, tostring, setmetatable, setfenv, xpcall, pairs =
      rawget, rawset, error, type, tostring, setmetatable, setfenv, xpcall, pairs
local dbg = debug
local G = _G

-- loadstring refuses precompiled chunks, as Redis's patched Lua does (bytecode can crash the VM)
local raw_loadstring = loadstring
loadstring = function(s, name)
  if type(s) == 'string' and s:byte(1) == 27 then
    return nil, 'loadstring: binary chunks are not allowed'
  end
  return raw_loadstring(s, name)
end

-- math.random / math.randomseed on Redis's rand48 (one stream for the server's life, as 7.0)
math.random = ember.random
math.randomseed = ember.randomseed

-- Redis's pcall hands back the err field of an error table, not the table
local raw_pcall = pcall
local function unwrap(ok, ...)
  if ok then return true, ... end
  local e = ...
  if type(e) == 'table' then
    local m = e.err
    if type(m) == 'string' or type(m) == 'number' then e = m end
  end
  return false, e
end
pcall = function(...) return unwrap(raw_pcall(...)) end

-- Memory cap of the Lua heap (Redis has none; a runaway script must not take the process down).
-- A sentinel userdata is finalized at the end of every GC cycle and re-created; past the cap
-- it arms the error below, which the hook then raises on every line of the script, so that pcall
-- cannot keep it going. GC steps are made large so that a cycle completes within a few
-- allocations even when a script makes few, huge ones (s = s .. s): memory can pass the cap by a
-- small factor at most before the check runs.
local limit_kb = ember.memory_limit_kb
local gcinfo, getmetatable = gcinfo, getmetatable
local MEMORY_ERROR = 'ERR Lua memory limit exceeded (' .. (limit_kb * 1024) .. ' bytes)'
local count_hook
-- pending: the error the script gets on every line from now on (memory cap, SCRIPT KILL)
local pending = nil
local in_script = false
local arm
arm = function()
  local p = make_proxy(true)
  getmetatable(p).__gc = function()
    if in_script and not pending and gcinfo() > limit_kb then
      pending = { err = MEMORY_ERROR }
      dbg.sethook(count_hook, 'l', 100000)
    end
    arm()
  end
end
arm()
collectgarbage('setstepmul', 100000)

-- string.rep builds its result in one C call: Java's version refuses results past the cap
string.rep = ember.rep

local function readonly_error()
  error('Attempt to modify a readonly table', 2)
end

-- FUNCTION LOAD's globals (function_lua.c's library API): only a `redis` table holding
-- register_function, log and the version; any other name fails as a nonexistent global.
local function missing_global(k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 3)
end
local raw_redis = rawget(G, 'redis')
local load_redis = { register_function = ember.register_function }
for _, k in pairs({ 'log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'REDIS_VERSION', 'REDIS_VERSION_NUM' }) do
  load_redis[k] = raw_redis[k]
end
local load_api = {
  redis = setmetatable({}, {
    __index = function(_, k)
      local v = rawget(load_redis, k)
      if v == nil then missing_global(k) end
      return v
    end,
    __newindex = readonly_error,
    __metatable = false,
  }),
}
-- what global names resolve to: the globals, or load_api while a library is being loaded
local api = G

-- Library tables become read-only views (Redis 7.0 marks them read-only in the VM)
local function readonly(t)
  return setmetatable({}, { __index = t, __newindex = readonly_error, __metatable = false })
end
for _, name in pairs({ 'string', 'table', 'math', 'coroutine', 'redis', 'cjson', 'bit', 'struct', 'cmsgpack' }) do
  local lib = rawget(G, name)
  if type(lib) == 'table' then rawset(G, name, readonly(lib)) end
end

-- The environment every script runs in: reads fall through to the globals and fail on a missing
-- name, writes fail (Redis's globals protection + read-only _G).
local env = setmetatable({}, {
  __index = function(_, k)
    local v = rawget(api, k)
    if v == nil then missing_global(k) end
    return v
  end,
  __newindex = readonly_error,
  __metatable = false,
})
rawset(G, '_G', env)
rawset(G, 'setfenv', nil)
rawset(G, 'getfenv', nil)

-- Redis's __redis__err__handler: turn any error into a table with the place it was raised
-- (frames of this file, such as the globals guard, are skipped: Redis raises those errors in C)
local function handler(err)
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  if i and i.what == 'C' then
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  while i and i.source == '=sandbox' do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  -- an error raised while entering the hook (stack overflow) carries this file's position
  if type(err) == 'string' and i and i.currentline then
    err = err:gsub('^sandbox:%d+: ', i.short_src .. ':' .. i.currentline .. ': ')
  end
  if type(err) ~= 'table' then err = { err = 'ERR ' .. tostring(err) } end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

rawset(G, '__redis__err__handler', handler)
rawset(G, 'debug', nil)

local sethook = dbg.sethook
local hook = ember.hook
-- after SCRIPT KILL the hook fires on every line, so pcall cannot keep a killed script alive
count_hook = function(event)
  if not pending then
    if event ~= 'count' then return end
    pending = hook()
    if not pending then return end
    sethook(count_hook, 'l', 100000) -- from now on, every line raises it
  end
  -- raise only inside the script's own code: not in the error handler or the runner below
  local where = dbg.getinfo(2, 'S')
  local src = where and where.source
  if src == '@user_script' or src == '@user_function' then error(pending) end
end

-- where(): luaL_where for errors raised by Java library functions (script -> Java -> here)
ember.set_where(function()
  local i = dbg.getinfo(3, 'Sl')
  if i and i.currentline > 0 then return i.short_src .. ':' .. i.currentline .. ': ' end
  return ''
end)

local function begin_run()
  pending = nil
  sethook(count_hook, '', 100000)
  in_script = true
end

-- prepare(f): gives a freshly compiled script its environment
-- run(f [, nkeys, keys and args...]): runs a script under the error handler and the hook
-- (then set_global(k, v), reset_memory_error())
-- call_function(f, nkeys, keys and args... | keys table, args table): FCALL, f(keys, args)
-- load_library(f): runs a library's code with the load-time globals, no error handler
--   (Redis's lua_pcall without one: the raw error value comes back)
return function(f) setfenv(f, env) return f end,
       function(f, nkeys, ...)
         -- KEYS and ARGV from the arguments (one call from Java instead of one per element)
         if nkeys then
           local args = { ... }
           local n = select('#', ...)
           local keys, argv = {}, {}
           for i = 1, nkeys do keys[i] = args[i] end
           for i = nkeys + 1, n do argv[i - nkeys] = args[i] end
           rawset(G, 'KEYS', keys)
           rawset(G, 'ARGV', argv)
         end
         begin_run()
         local ok, res = xpcall(f, handler)
         in_script = false
         return ok, res
       end,
       function(k, v) rawset(G, k, v) end,
       function() pending = nil end,
       function(f, nkeys, ...)
         local keys, argv
         if type(nkeys) == 'table' then
           keys, argv = nkeys, ...
         else
           local args = { ... }
           local n = select('#', ...)
           keys, argv = {}, {}
           for i = 1, nkeys do keys[i] = args[i] end
           for i = nkeys + 1, n do argv[i - nkeys] = args[i] end
         end
         begin_run()
         local ok, res = xpcall(function() return f(keys, argv) end, handler)
         in_script = false
         return ok, res
       end,
       function(f)
         api = load_api
         begin_run()
         local ok, err = raw_pcall(f)
         in_script = false
         api = G
         return ok, err
       end
