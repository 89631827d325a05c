"""A minimal pool of forked processes: task indexes go out on one pipe per child, pickled results come back on
another, and the parent hands the next index to whichever child answered.

Why not ``concurrent.futures.ProcessPoolExecutor``: its queues, feeder and manager threads cost the parent about
1 ms of CPU per task (0.14 s for the 135 tasks of the 1,000-file corpus), taken from the CPUs the workers read
on. Here the parent only reads pipes and unpickles. Children are forked, so they inherit the tasks themselves
(nothing but an index is sent), and leave with ``os._exit`` (no exit handlers, none of the parent's buffers
flushed twice).

A child's own finishing work (``after``: its deferred cache writes) runs once it has answered its last task,
with its pipes closed and at niceness +10: the parent goes on with the serial end of the scan meanwhile, and the
writes take the CPU time it and its other children leave idle (at the same priority they took ~0.03 s from the
Kubernetes build, run beside the roots' rules child); the parent waits for them only at the end (``reap``).

A child never waits on the parent while work remains: it holds its next index before it finishes the current
task, and its answer pipe is widened to hold a whole answer, so it writes and goes on even while the parent is busy
with an earlier answer (with one index in hand and 64 KiB pipes, each child spent about 9% of the corpus scan
waiting for its next index or for the parent to drain its answer).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
from collections.abc import Callable
from typing import Any

_INDEX = struct.Struct("<q")  # a task index; -1: no more tasks
_SIZE = struct.Struct("<Q")  # the length of a pickled answer
_CHUNK = 1 << 20
_PIPE_BYTES = 1 << 20  # an answer pipe's capacity where Linux lets it be set (the default is 64 KiB)
_F_SETPIPE_SZ = 1031  # fcntl.F_SETPIPE_SZ (Linux; the constant is in fcntl from Python 3.10 on Linux only)
_AHEAD = 2  # indexes a child holds while many tasks remain: the one it works on and the next


class PoolError(RuntimeError):
    """A child could not be started, or died before answering: the caller runs the tasks itself."""


class _Failed:
    """A task raised in a child: the exception, re-raised in the parent (as ``ProcessPoolExecutor`` does)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_LINGERING: list[int] = []  # children that had answered everything but were still finishing (``after``)
_PARENT_ENDS: set[int] = set()  # this process's ends of the running children's pipes


def close_parent_ends() -> None:
    """In a process forked from the parent while a pool runs (``forked.Forked``): close its copies of the pool's
    pipes, so that a child still waits for nothing but the parent (a task pipe it held open would keep a worker
    from seeing the parent's end)."""
    for fd in list(_PARENT_ENDS):
        with contextlib.suppress(OSError):
            os.close(fd)
    _PARENT_ENDS.clear()


def run_forked(run: Callable[[int], Any], count: int, jobs: int,
               on_result: Callable[[int, Any], None] | None = None,
               after: Callable[[], None] | None = None) -> list[Any]:
    """``run(i)`` for every ``i < count`` in ``jobs`` forked children, in order given out, results by index;
    ``on_result(i, result)`` is called here as each arrives, while the children work on. Raises PoolError when a
    child cannot be forked or dies; re-raises an exception a task raised.

    ``after()`` runs in each child once it has answered its last task (deferred cache writes): this returns
    without waiting for it, and ``reap`` waits for such children later."""
    reap(block=False)
    children: list[tuple[int, int, int]] = []  # (pid, index pipe to it, answer pipe from it)
    answered = False
    try:
        for _ in range(min(jobs, count)):
            children.append(_fork(run, children, after))
        results = _collect(children, count, on_result)
        answered = True
        return results
    finally:
        for pid, to_child, from_child in children:
            for fd in (to_child, from_child):
                _PARENT_ENDS.discard(fd)
                with contextlib.suppress(OSError):
                    os.close(fd)
            _LINGERING.append(pid)
        reap(block=after is None or not answered)  # after a failure nothing is left running


def reap(block: bool = True) -> None:
    """Wait for the children that were still finishing their ``after`` work (all of them, or those done)."""
    for pid in list(_LINGERING):
        try:
            done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _LINGERING.remove(pid)


def _fork(run: Callable[[int], Any], siblings: list[tuple[int, int, int]],
          after: Callable[[], None] | None = None) -> tuple[int, int, int]:
    task_read, task_write = os.pipe()
    answer_read, answer_write = os.pipe()
    _widen(answer_write)
    try:
        pid = os.fork()
    except OSError as exc:
        for fd in (task_read, task_write, answer_read, answer_write):
            os.close(fd)
        raise PoolError(f"cannot fork: {exc}") from exc
    if pid == 0:  # the child: keep its own two ends only, so a sibling's pipes close when the parent's do
        os.close(task_write)
        os.close(answer_read)
        for _, to_sibling, from_sibling in siblings:
            os.close(to_sibling)
            os.close(from_sibling)
        _serve(run, task_read, answer_write, after)
    os.close(task_read)
    os.close(answer_write)
    _PARENT_ENDS.update((task_write, answer_read))
    return pid, task_write, answer_read


def _widen(fd: int) -> None:
    """A pipe that holds a whole answer, where the system allows it; the default capacity otherwise."""
    try:
        import fcntl

        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, OSError):
        pass


def _serve(run: Callable[[int], Any], tasks: int, answers: int, after: Callable[[], None] | None = None) -> None:
    """The child's loop: read an index, answer with the pickled result, until -1 or the pipe closes; then
    ``after()``, with the pipes closed (the parent has all it needs and goes on)."""
    code = 1
    try:
        while True:
            head = _read_exact(tasks, _INDEX.size)
            if head is None:
                break
            (index,) = _INDEX.unpack(head)
            if index < 0:
                break
            try:
                answer = pickle.dumps(run(index), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # the parent re-raises it
                answer = pickle.dumps(_Failed(exc), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(answers, _SIZE.pack(len(answer)))
            _write_all(answers, answer)
        code = 0
        if after is not None:
            for fd in (tasks, answers):
                os.close(fd)
            with contextlib.suppress(OSError, AttributeError):
                os.nice(10)  # the parent's serial end comes first: this takes the CPU it leaves idle
            after()
    finally:
        os._exit(code)


def _collect(children: list[tuple[int, int, int]], count: int,
             on_result: Callable[[int, Any], None] | None) -> list[Any]:
    """Read the answers; a child is given indexes ahead (``_AHEAD``) while more than one round of tasks remains,
    then one at a time, so the last tasks go to whichever child is free. Answers are unpickled (and ``on_result``
    run) only while no child is waiting to be read."""
    import selectors
    from collections import deque

    results: list[Any] = [None] * count
    given = received = 0
    waiting: deque[tuple[int, bytearray]] = deque()  # whole answers not unpickled yet: (index, bytes)
    held: dict[int, deque[int]] = {}  # answer fd -> the indexes its child holds, in the order it runs them
    pipes: dict[int, int] = {}  # answer fd -> task pipe
    buffers: dict[int, bytearray] = {}  # answer fd -> the answer so far
    jobs = len(children)

    def give(fd: int) -> None:
        nonlocal given
        try:
            _write_all(pipes[fd], _INDEX.pack(given))
        except BrokenPipeError as exc:  # it died on the index it held ahead
            raise PoolError("a worker process died") from exc
        held[fd].append(given)
        given += 1

    with selectors.DefaultSelector() as selector:
        for _, to_child, from_child in children:
            pipes[from_child], held[from_child], buffers[from_child] = to_child, deque(), bytearray()
            give(from_child)
            selector.register(from_child, selectors.EVENT_READ)
        for _, _, from_child in children:  # the second index each, while a round of tasks remains after them
            if count - given > jobs:
                give(from_child)
        while received < count or waiting:
            ready = selector.select(timeout=0 if waiting else None) if received < count else []
            if not ready:
                index, buffer = waiting.popleft()
                answer = pickle.loads(memoryview(buffer)[_SIZE.size:])
                if isinstance(answer, _Failed):
                    raise answer.error
                results[index] = answer
                if on_result is not None:
                    on_result(index, answer)
                continue
            for key, _ in ready:
                fd = key.fd
                buffer = buffers[fd]
                chunk = os.read(fd, _CHUNK)
                if not chunk:
                    raise PoolError("a worker process died")
                buffer += chunk
                while len(buffer) >= _SIZE.size and len(buffer) >= _SIZE.size + _SIZE.unpack_from(buffer)[0]:
                    end = _SIZE.size + _SIZE.unpack_from(buffer)[0]
                    if not held[fd]:
                        raise PoolError("a worker process answered out of turn")
                    waiting.append((held[fd].popleft(), buffer[:end] if len(buffer) > end else buffer))
                    buffer = buffers[fd] = buffer[end:] if len(buffer) > end else bytearray()
                    received += 1
                    while given < count and len(held[fd]) < (_AHEAD if count - given > jobs else 1):
                        give(fd)
                    if not held[fd]:
                        with contextlib.suppress(BrokenPipeError):  # its answers are all in: nothing is lost
                            _write_all(pipes[fd], _INDEX.pack(-1))
                        selector.unregister(fd)
                        break
    return results


def _give(to_child: int, given: int, count: int) -> int:
    _write_all(to_child, _INDEX.pack(given))
    return given + 1


def _read_exact(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]

