"""Admission to the costly sign-in work (start and resume), with no client address.

Behind Tor every visitor shares an address, and a client can invent any cookie, so nothing
here can tell one source from another; that is the job of the layer in front (``deploy/``:
nginx ``limit_req`` on the clear web, Tor's proof-of-work on the onion service). What this
layer guarantees is that nobody can lock everyone out:

- **Separate budgets.** Starting and resuming draw on budgets of their own, so a flood of
  resumes never blocks starting (and the other way round).
- **A fair wait, not a refusal.** A budget hands out turns in arrival order (a queue, as in
  the generic cell rate algorithm): past its burst, a request is given a time to go ahead
  and waits for it, up to ``max_wait`` seconds. A flood holds as many places in the queue
  as it has requests open, no more, and a person arriving during it waits behind those,
  not for the flood to stop. Only when the queue is longer than ``max_wait`` is a request
  refused.
- **Atomic, and shared when it can be.** With ``THROTTLE_REDIS_URL`` every web process draws
  on the same budgets through one Lua script (read, decide, write in one step, on Redis's
  clock). Without it, or whenever Redis cannot be reached (a 100 ms timeout), each process
  keeps its own budgets under a lock, at once and for ``FALLBACK_SECONDS``: the request path
  never waits longer on Redis, and help-seekers notice nothing.

A per-browser budget (``max_wait`` 0) still refuses one browser that keeps retrying; it
protects honest browsers from themselves and is no defence against anyone.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

log = logging.getLogger(__name__)

FALLBACK_SECONDS = 30.0
REDIS_TIMEOUT_SECONDS = 0.1
LOCAL_SWEEP_AT = 10_000

# KEYS[1]: the budget's key. ARGV: interval, tolerance, max_wait in microseconds.
# Returns the microseconds to wait before going ahead, or -1 when the queue is too long.
RESERVE_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval, tolerance, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
if wait > max_wait then return -1 end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.floor((tat + interval - now) / 1000) + 1000)
return wait
"""


@dataclass(frozen=True)
class Budget:
    """``per_second`` turns a second after a burst of ``burst``; a request may wait up to
    ``max_wait`` seconds for its turn (0: refused at once when the burst is spent)."""

    name: str
    per_second: float
    burst: int
    max_wait: float

    @property
    def interval(self) -> float:
        return 1.0 / self.per_second

    @property
    def tolerance(self) -> float:
        return (self.burst - 1) * self.interval


class Limiter(Protocol):
    def reserve(self, budget: Budget, key: str) -> float | None:
        """Seconds to wait before going ahead (a turn is taken), or ``None``: refused."""
        ...


class LocalLimiter:
    """The budgets of this process, under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def reserve(self, budget: Budget, key: str, *, now: float | None = None) -> float | None:
        now = time.monotonic() if now is None else now
        name = f"{budget.name}:{key}"
        with self._lock:
            if len(self._next) > LOCAL_SWEEP_AT:  # forget budgets that are full again
                self._next = {k: v for k, v in self._next.items() if v > now}
            theoretical = max(self._next.get(name, now), now)
            wait = max(0.0, theoretical - budget.tolerance - now)
            if wait > budget.max_wait:
                return None
            self._next[name] = theoretical + budget.interval
        return wait


class RedisLimiter:
    """Budgets shared by every process, in Redis; ``None`` from ``reserve`` means refused,
    and a Redis failure raises (``SharedOrLocal`` falls back)."""

    def __init__(self, url: str, *, connections: int = 32) -> None:
        import redis

        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=connections,
            timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self._client = redis.Redis(connection_pool=pool)
        self._script = self._client.register_script(RESERVE_SCRIPT)

    def reserve(self, budget: Budget, key: str) -> float | None:
        micro = 1_000_000
        wait = int(
            self._script(
                keys=[f"throttle:{budget.name}:{key}"],
                args=[
                    int(budget.interval * micro),
                    int(budget.tolerance * micro),
                    int(budget.max_wait * micro),
                ],
            )
        )
        return None if wait < 0 else wait / micro


class SharedOrLocal:
    """Redis when configured and reachable; this process's own budgets otherwise."""

    def __init__(self, shared: RedisLimiter | None, local: LocalLimiter) -> None:
        self._shared = shared
        self._local = local
        self._shared_down_until = 0.0

    def reserve(self, budget: Budget, key: str) -> float | None:
        if self._shared is not None and time.monotonic() >= self._shared_down_until:
            try:
                return self._shared.reserve(budget, key)
            except Exception as exc:  # any Redis failure: this process's own budgets, at once
                self._shared_down_until = time.monotonic() + FALLBACK_SECONDS
                log.warning("shared sign-in budgets unreachable (%s); using per-process budgets", type(exc).__name__)
        return self._local.reserve(budget, key)


_limiter: SharedOrLocal | None = None
_limiter_lock = threading.Lock()


def limiter() -> SharedOrLocal:
    """This process's limiter, made on first use from ``THROTTLE_REDIS_URL``."""
    global _limiter
    with _limiter_lock:
        if _limiter is None:
            url = settings.THROTTLE_REDIS_URL
            _limiter = SharedOrLocal(RedisLimiter(url) if url else None, LocalLimiter())
        return _limiter


def limiter_reset() -> None:
    """Forget every budget of this process and re-read the settings (tests)."""
    global _limiter
    with _limiter_lock:
        _limiter = None


def start_budget() -> Budget:
    return Budget("start", settings.START_GLOBAL_PER_SECOND, settings.START_GLOBAL_BURST, settings.SIGNIN_WAIT_SECONDS)


def resume_budget() -> Budget:
    return Budget(
        "resume", settings.RESUME_GLOBAL_PER_SECOND, settings.RESUME_GLOBAL_BURST, settings.SIGNIN_WAIT_SECONDS
    )


def browser_budget() -> Budget:
    return Budget("resume-browser", settings.RESUME_SESSION_PER_MINUTE / 60, settings.RESUME_SESSION_BURST, 0.0)
