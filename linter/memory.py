"""Memory put aside so that running out of it can still be said.

When an allocation fails, the heap is at its limit, and the exception's traceback still holds the frames that
filled it (a half-built document) until the handler is over: the handler's own small allocations -- the
message, the input error, the line on stderr -- can fail too, and the run would end in the traceback tlspath
promises never to show. So a run holds a reserve of address space, which costs no memory until it is touched,
and lets it go the moment a ``MemoryError`` is caught; it is taken again before the next file is read.
"""

from __future__ import annotations

RESERVE_BYTES = 16 * 1024 * 1024


class _Reserve:
    def __init__(self) -> None:
        self._held: bytes | None = None

    def hold(self) -> None:
        """Take the reserve, if it is not held and the memory is there."""
        if self._held is None:
            try:
                # bytes, not bytearray: bytes(n) is calloc'ed, so the kernel's zero pages stay untouched (address
                # space, no memory); bytearray(n) writes its zeros -- 16 MiB of page faults, 10 ms of every run
                self._held = bytes(RESERVE_BYTES)
            except MemoryError:
                self._held = None

    def release(self) -> None:
        """Let the reserve go, so the handler of a ``MemoryError`` has room to report it."""
        self._held = None


RESERVE = _Reserve()
