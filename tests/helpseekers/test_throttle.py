"""Sign-in budgets: turns in arrival order, a bounded wait, atomic under concurrency, in each
process or shared in Redis, and a fall back to the process's own at once when Redis is gone."""

import threading
import uuid

import pytest

from helpseekers import throttle


def _budget(burst: int = 3, per_second: float = 10.0, max_wait: float = 0.0) -> throttle.Budget:
    return throttle.Budget(f"test-{uuid.uuid4().hex}", per_second, burst, max_wait)


def test_a_burst_then_refusal_when_nobody_may_wait() -> None:
    limiter, budget = throttle.LocalLimiter(), _budget(burst=3)

    assert [limiter.reserve(budget, "k", now=100.0) for _ in range(4)] == [0.0, 0.0, 0.0, None]
    assert limiter.reserve(budget, "k", now=100.1) == 0.0  # one turn back after an interval
    assert limiter.reserve(budget, "other", now=100.1) == 0.0  # keys are separate


def test_past_the_burst_turns_are_given_in_arrival_order_up_to_the_longest_wait() -> None:
    limiter, budget = throttle.LocalLimiter(), _budget(burst=1, per_second=10.0, max_wait=0.35)

    waits = [limiter.reserve(budget, "k", now=50.0) for _ in range(6)]

    assert waits[:4] == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert waits[4:] == [None, None]  # the queue is longer than the wait allowed
    assert limiter.reserve(budget, "k", now=50.2) == pytest.approx(0.2)  # refused ones took no place


def _concurrent(reserve, count: int = 200) -> int:
    """How many of ``count`` simultaneous reservations were granted (each is granted or refused)."""
    outcomes: list[bool] = []
    lock, barrier = threading.Lock(), threading.Barrier(count)

    def one() -> None:
        barrier.wait()
        granted = reserve() is not None
        with lock:
            outcomes.append(granted)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == count, "every reservation was answered"
    return sum(outcomes)


def test_the_local_budget_is_atomic_under_200_concurrent_requests() -> None:
    limiter, budget = throttle.LocalLimiter(), _budget(burst=50, per_second=0.001)

    assert _concurrent(lambda: limiter.reserve(budget, "k")) == 50


@pytest.fixture
def redis_url(redis_broker: str) -> str:
    return redis_broker


def test_the_shared_budget_is_atomic_under_200_concurrent_requests(redis_url: str) -> None:
    limiter, budget = throttle.RedisLimiter(redis_url, connections=200), _budget(burst=50, per_second=0.001)

    assert _concurrent(lambda: limiter.reserve(budget, "k")) == 50


def test_the_shared_budget_is_shared_between_processes_and_queues_in_order(redis_url: str) -> None:
    one, other = throttle.RedisLimiter(redis_url), throttle.RedisLimiter(redis_url)
    budget = _budget(burst=2, per_second=1.0, max_wait=1.5)

    waits = [one.reserve(budget, "k"), other.reserve(budget, "k"), one.reserve(budget, "k")]
    waits += [other.reserve(budget, "k"), one.reserve(budget, "k")]

    assert waits[:2] == [0.0, 0.0]
    assert waits[2] == pytest.approx(1.0, abs=0.05)
    assert waits[3:] == [None, None]


class _Unreachable:
    def __init__(self) -> None:
        self.calls = 0

    def reserve(self, budget: throttle.Budget, key: str) -> float | None:
        self.calls += 1
        raise ConnectionError("redis is down")


def test_an_unreachable_shared_budget_falls_back_to_the_process_at_once_and_stays_there() -> None:
    shared = _Unreachable()
    limiter = throttle.SharedOrLocal(shared, throttle.LocalLimiter())  # type: ignore[arg-type]
    budget = _budget(burst=2)

    assert [limiter.reserve(budget, "k") for _ in range(3)] == [0.0, 0.0, None]
    assert shared.calls == 1, "after one failure the request path does not try Redis again for a while"


def test_a_real_unreachable_redis_falls_back_without_an_error() -> None:
    limiter = throttle.SharedOrLocal(throttle.RedisLimiter("redis://127.0.0.1:1/0"), throttle.LocalLimiter())

    assert limiter.reserve(_budget(), "k") == 0.0
