"""Values computed once per read-only model, and once per (model, key): shared by every thread of a worker."""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from dashboard.data.model import Model

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def per_model(build: Callable[[Model], T]) -> Callable[[Model], T]:
    """Cache a function of the (read-only) model alone: computed on first use for each live model, then shared."""
    # By identity: a Model holds DataFrames and has no hash. A model built later at the same address, after the
    # first was freed, is told apart by the weak reference (whose callback also drops the entry).
    cache: dict[int, tuple[weakref.ref[Model], T]] = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def cached(model: Model) -> T:
        key = id(model)
        entry = cache.get(key)
        if entry is not None and entry[0]() is model:
            return entry[1]
        value = build(model)  # outside the lock: two threads may both build it once, with the same result
        with lock:
            cache[key] = (weakref.ref(model, lambda _ref: cache.pop(key, None)), value)
        return value

    return cached


def per_model_and(size: int) -> Callable[[Callable[[Model, K], T]], Callable[[Model, K], T]]:
    """Cache a function of the model and one hashable key (a view state, a month): the `size` latest per model."""

    def decorate(build: Callable[[Model, K], T]) -> Callable[[Model, K], T]:
        @per_model
        def store(_model: Model) -> tuple[OrderedDict[K, T], threading.Lock]:
            return OrderedDict(), threading.Lock()

        @functools.wraps(build)
        def cached(model: Model, key: K) -> T:
            entries, lock = store(model)
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    return entries[key]
            value = build(model, key)  # outside the lock: the same value if two threads build it
            with lock:
                entries[key] = value
                while len(entries) > size:
                    entries.popitem(last=False)
            return value

        return cached

    return decorate
