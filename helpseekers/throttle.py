"""Token buckets in the cache, for limits that need no client address.

Behind Tor every visitor shares an address, so limits are per session and global. A bucket
holds up to ``capacity`` tokens and refills at ``refill_per_second``; taking a token from an
empty bucket fails. There is no per-profile or per-codename lockout, so nobody can lock a
help-seeker out of their own profile. The cache is per process unless ``CACHE_URL`` points
at a shared cache, in which case the global bucket is shared by every web process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Bucket:
    name: str
    capacity: float
    refill_per_second: float

    def take(self, key: str = "global", *, now: float | None = None) -> bool:
        """Take one token; ``False`` when the bucket is empty."""
        now = time.time() if now is None else now
        cache_key = f"throttle:{self.name}:{key}"
        tokens, stamp = cache.get(cache_key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - stamp) * self.refill_per_second)
        if tokens < 1:
            cache.set(cache_key, (tokens, now), timeout=self.seconds_to_full)
            return False
        cache.set(cache_key, (tokens - 1, now), timeout=self.seconds_to_full)
        return True

    @property
    def seconds_to_full(self) -> int:
        return int(self.capacity / self.refill_per_second) + 1
