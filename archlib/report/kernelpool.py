"""Kernels forked from a pre-warmed parent: a fresh process per notebook at no start-up cost.

A batch worker runs one *kernel parent* (a "zygote") that has imported ipykernel, IPython,
archlib's notebook modules, plotly, NumPy and diagrams (:func:`warm`), and then, on request,
forks a kernel. When the kernelspec's interpreter is the worker's own and the worker runs one
thread, the parent is forked from the worker itself, already warm (the batch's fork server
warmed it, see :mod:`.warmup`): its start-up costs a fork. Otherwise it is a new ``python -c``
with the kernelspec's interpreter, which warms itself up. Each kernel is a new process, so nothing
one notebook changes (a module, a global, an environment variable, the cwd, a registry entry,
a cached price table) reaches another: every kernel is a copy of the same clean parent, which
never runs notebook code.

The fork is doubled (parent -> short-lived middle -> kernel) and the worker is a *child
subreaper* (Linux ``PR_SET_CHILD_SUBREAPER``): when the middle process exits, the kernel is
re-parented to the worker, exactly as if the worker had launched it. So ``os.getppid()`` in a
kernel is the worker, ``JPY_PARENT_PID`` and ipykernel's parent poller work as usual, and the
worker reaps the kernel and reads its exit status.

What jupyter_client would otherwise spend per kernel is cut too:

- start-up: the parent has done the imports; the kernel only builds its IPython shell;
- the client waits for ``kernel_info`` and one IOPub message, not for 0.2 s of IOPub
  silence (messages from before the notebook carry another parent id: nbclient ignores them);
- shutdown: the notebook is done, so the kernel's process group gets SIGKILL at once and is
  reaped, with no interrupt and no 0.1 s polls;
- no debugger (``debugpy`` is neither imported nor started: batch reports never debug).

Elsewhere than Linux, or for a kernelspec that is not this interpreter's ipykernel, callers
start kernels the ordinary way (:func:`kernel_python`); :class:`archlib.report.kernels.Kernel`
is one notebook's kernel either way.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["FORKABLE", "KERNEL_OPTIONS", "KERNEL_PROCESS_NAME", "PARENT_PROCESS_NAME",
           "KernelParent", "can_fork_here", "fork_kernel_manager", "kernel_python",
           "prefork_parent", "ready_client", "release", "serve", "take_preforked", "warm"]

_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
_PR_SET_CHILD_SUBREAPER = 36
#: ipykernel's own launcher: its path is the kernel's ``sys.argv[0]``.
_LAUNCHER = "ipykernel_launcher"
#: What ``ps`` and ``top`` call a forked kernel (its command line is its parent's).
KERNEL_PROCESS_NAME = "archlib-kernel"
#: ... and a kernel parent (forked from a worker, its command line is the worker's).
PARENT_PROCESS_NAME = "archlib-kparent"
#: Options every forked kernel gets: no shared history database, no debugger.
KERNEL_OPTIONS = ("--HistoryManager.hist_file=:memory:",)


def _prctl(option: int, value: int) -> bool:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return int(libc.prctl(option, value, 0, 0, 0)) == 0


def _set_name(name: str) -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name.encode("ascii")), 0, 0, 0)


def kernel_python(argv: Sequence[str]) -> str | None:
    """The interpreter of a kernelspec's ``argv`` when a forked kernel can serve it (Linux,
    ``<python> -m ipykernel_launcher -f {connection_file}``), else None. A bare ``python``
    is this interpreter, as jupyter_client reads it."""
    if not (sys.platform.startswith("linux") and len(argv) == 5
            and list(argv[1:4]) == ["-m", _LAUNCHER, "-f"] and argv[4] == "{connection_file}"):
        return None
    python = argv[0]
    if python in {"python", f"python{sys.version_info[0]}",
                  f"python{sys.version_info[0]}.{sys.version_info[1]}"}:
        python = sys.executable
    return python if os.path.isfile(python) else None


# --- the kernel parent (its own process) ----------------------------------------------------


@functools.cache
def warm() -> None:
    """Import, once per process, what every kernel and every report notebook would
    import."""
    import importlib

    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    # No debugger: ipykernel finds no debugpy (its import is 0.4 s per kernel), and says so
    # in kernel_info. The block is lifted afterwards, so a notebook may still import it.
    blocked = "debugpy" not in sys.modules
    if blocked:
        sys.modules["debugpy"] = None  # type: ignore[assignment]
    try:
        importlib.import_module("ipykernel.debugger")
    finally:
        if blocked:
            del sys.modules["debugpy"]
    for module in ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
                   "ipykernel.iostream", "ipykernel.heartbeat", "ipykernel.parentpoller",
                   "ipykernel.eventloops", "ipykernel.comm", "IPython.core.completer",
                   "IPython.core.interactiveshell", "jupyter_client.session",
                   # what a kernel's start-up imports (measured: sys.modules after it)
                   "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
                   "IPython.extensions.storemagic", "IPython.utils.wildcard", "sqlite3", "pdb",
                   "code", "faulthandler", "tornado.platform.asyncio", "unicodedata"):
        importlib.import_module(module)
    from .kernels import warm_kernel

    warm_kernel()
    _warm_notebook_paths()


def _warm_notebook_paths() -> None:
    """Run, once in the parent, what a report notebook runs first in a fresh process (the
    price tables read, NumPy's first robustness draws, each display's first formatting), for
    one decision with its defaults: the first-use costs are the same for every decision (a
    second decision's displays then cost what they cost in a kernel that ran them before,
    within a few ms; warming all eight cost 0.2 s more of the batch's start). All of it is
    a pure function of its inputs: a kernel that runs it again gets the same result, only
    sooner."""
    from archlib import decisions, evaluate
    from archlib import notebook as nb

    displays = (nb.header, nb.option_table, nb.recommendation, nb.criteria_table,
                nb.cost_table, nb.assumptions, nb.sources, nb.robustness, nb.cost_chart,
                nb.score_chart, nb.robustness_chart)
    for decision_id in decisions.ids()[:1]:
        with contextlib.suppress(Exception):  # a warm-up only: the notebook will say
            ev = evaluate(decision_id, {})
            for display in displays:
                shown = display(ev)
                bundle = getattr(shown, "_repr_mimebundle_", None)
                if bundle is not None:
                    bundle()


def serve(fd: int) -> None:
    """The kernel parent's loop: one JSON request per line on the socket ``fd``, one JSON
    answer per line (``{"pid": ...}`` or ``{"error": ...}``). Ends when the socket closes."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the worker's helper: never outlives it
    _set_name(PARENT_PROCESS_NAME)
    if os.getppid() == 1:  # the worker ended before the signal was armed
        return
    sock = socket.socket(fileno=fd)
    stream = sock.makefile("rwb", buffering=0)
    try:
        warm()  # nothing left to do when forked from a warm worker
        # Kernels never collect the parent's objects: keep the collector from touching (and
        # so copying) their memory pages in every kernel.
        gc.collect()
        gc.freeze()
        stream.write(b'{"ready": true}\n')
    except BaseException as error:
        stream.write(json.dumps({"error": f"{type(error).__name__}: {error}"}).encode() + b"\n")
        raise
    for line in stream:
        request = json.loads(line)
        try:
            pid = _fork(request, sock.fileno())
            answer: dict[str, Any] = {"pid": pid}
        except Exception as error:  # the request fails, the parent goes on
            answer = {"error": f"{type(error).__name__}: {error}"}
        stream.write(json.dumps(answer).encode() + b"\n")


def _fork(request: dict[str, Any], server_fd: int) -> int:
    """Fork a middle process that forks the kernel and exits at once, so the kernel is
    re-parented to the worker (a subreaper); returns the kernel's pid."""
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:  # the middle process
        try:
            os.close(read_end)
            kernel = os.fork()
            if kernel == 0:
                os.close(write_end)
                _become_kernel(request, server_fd)  # never returns
            os.write(write_end, f"{kernel}\n".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().strip()
    os.waitpid(middle, 0)  # after this the kernel is the worker's child
    if not text:
        raise RuntimeError("the kernel could not be forked")
    return int(text)


def _become_kernel(request: dict[str, Any], server_fd: int) -> None:
    """In the forked kernel: look like a kernel jupyter_client launched (new session, its
    cwd, environment, argv, standard streams), then run ipykernel. Never returns."""
    code = 1
    try:
        os.close(server_fd)
        os.setsid()  # jupyter_client starts a kernel in a new session (start_new_session)
        _set_name(KERNEL_PROCESS_NAME)
        parent = int(request["parent"])
        deadline = time.monotonic() + 10
        while os.getppid() != parent:  # the middle process is exiting
            if time.monotonic() > deadline:  # a subreaper between them took it: say so
                fd = os.open(request["stdout"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                os.write(fd, f"archlib: forked kernel {os.getpid()} was not re-parented to "
                             f"process {parent} within 10 s (its parent: {os.getppid()})\n"
                             .encode())
                os._exit(1)
            time.sleep(0.0002)
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # a kernel never outlives its worker
        if os.getppid() != parent:
            os._exit(1)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(request["stdout"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.closerange(3, 256)  # nothing of the parent's: only what ipykernel opens
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import tempfile

        tempfile.tempdir = None  # from this environment's TMPDIR
        if "numpy" in sys.modules:  # a kernel's unseeded NumPy draws differ, as if fresh
            sys.modules["numpy"].random.seed()
        import ipykernel_launcher  # type: ignore[import-untyped]

        sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
        if sys.path and sys.path[0] in ("", os.getcwd()):
            del sys.path[0]  # as ipykernel_launcher does; init_path adds it back
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


#: Set (True) in a process made to be forked from: the batch's fork server (:mod:`.warmup`),
#: and so in each worker forked from it. Any other caller (a test, a notebook, a program
#: calling build_reports in-process) may hold state of its own, so it never is.
FORKABLE: list[bool] = []


def can_fork_here(python: str) -> bool:
    """Whether this process can itself become the kernel parent (forked, already warm,
    instead of a new interpreter importing everything again): it was made to be forked
    from (:data:`FORKABLE`, a worker forked from the fork server: clean, it never runs
    notebook code), the kernel's Python is this one (the same path: another virtual
    environment's ``python`` links to the same binary) and no other thread runs (a fork
    copies only the calling thread, and not the locks another thread might hold)."""
    import threading

    return (bool(FORKABLE) and sys.platform.startswith("linux")
            and threading.active_count() == 1
            and os.path.abspath(python) == os.path.abspath(sys.executable))


def _fork_parent(sock: socket.socket, log_fd: int) -> int:
    """Warm this process up (once), then fork the kernel parent from it: it has nothing to
    import, so its start-up costs a fork. Returns its pid (a child of this process). This
    process never runs notebook code, so the parent is as clean as a fresh interpreter."""
    warm()
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1  # the kernel parent, forked: only its socket and its log, default signals
    try:
        signal.set_wakeup_fd(-1)  # (a fork server's: closed below)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD,
                       signal.SIGPIPE):
            signal.signal(signum, signal.SIG_DFL)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        fd = sock.fileno()
        os.closerange(3, fd)
        os.closerange(fd + 1, 4096)
        serve(fd)
        code = 0
    except BaseException:
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        os._exit(code)


# --- the worker's side ----------------------------------------------------------------------


def _proc_state(pid: int) -> tuple[str, int] | None:
    """Process ``pid``'s state letter and parent pid (``/proc``); None: it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return fields[0].decode(), int(fields[1])
    except (OSError, IndexError, ValueError):
        return None


def _running(pid: int) -> bool:
    """Process ``pid`` exists and has not ended (a zombie has)."""
    state = _proc_state(pid)
    return state is not None and state[0] not in ("Z", "X")


class _ForkedProcess:
    """What jupyter_client's LocalProvisioner needs of a ``Popen``, for a kernel that became
    this process's child by re-parenting."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.cpu_s = 0.0  # user + system CPU seconds of the kernel, once reaped

    def _reap(self, options: int) -> None:
        try:
            pid, status, usage = os.wait4(self.pid, options)
        except ChildProcessError:
            # Not this process's child: re-parented elsewhere (seen in CI when its kernel
            # parent had become a subreaper; it then gives up on its own after 10 s).
            # While it runs it is alive, not dead; once it ends, its status is not ours.
            if options & os.WNOHANG and _running(self.pid):
                return
            self.returncode = -1
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)
            self.cpu_s = usage.ru_utime + usage.ru_stime

    def poll(self) -> int | None:
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._reap(0)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class KernelParent:
    """The worker's handle on its kernel parent: started once, asked for one kernel per
    notebook. Makes the calling process a child subreaper (forked kernels become its
    children)."""

    def __init__(self, python: str, *, log_path: str | None, timeout_s: float = 60.0) -> None:
        if not _prctl(_PR_SET_CHILD_SUBREAPER, 1):
            raise OSError("cannot become a child subreaper")
        self.python = python
        here, there = socket.socketpair()
        # the parent's own errors (None: this process's standard error)
        self._log = (open(log_path, "ab") if log_path is not None  # noqa: SIM115
                     else os.fdopen(os.dup(2), "ab"))
        self.process: Any
        try:
            if can_fork_here(python):
                self.process = _ForkedProcess(_fork_parent(there, self._log.fileno()))
            else:
                self.process = subprocess.Popen(
                    [python, "-c",
                     f"from archlib.report.kernelpool import serve; serve({there.fileno()})"],
                    pass_fds=[there.fileno()], stdin=subprocess.DEVNULL, stdout=self._log,
                    stderr=self._log, close_fds=True)
        except BaseException:
            here.close()
            self._log.close()
            raise
        finally:
            there.close()
        here.settimeout(timeout_s)  # a parent that hangs fails its request, not the worker
        self._sock = here
        self._stream = here.makefile("rwb", buffering=0)
        self._ready = False
        self.preforked = False

    def _answer(self) -> dict[str, Any]:
        line = self._stream.readline()
        if not line:
            raise RuntimeError(f"the kernel parent ended (exit code {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the kernel parent failed: {answer['error']}")
        return answer

    def wait_ready(self) -> None:
        if not self._ready:
            self._answer()
            self._ready = True

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, argv: Sequence[str], *, cwd: str, env: dict[str, str],
             stdout: str) -> int:
        """A new kernel (``argv``: ipykernel's arguments); its pid, a child of this
        process."""
        self.wait_ready()
        self._stream.write(json.dumps({
            "argv": list(argv), "cwd": cwd, "env": env, "stdout": stdout,
            "parent": os.getpid()}).encode() + b"\n")
        return int(self._answer()["pid"])

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._stream.close()
            self._sock.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._log.close()


#: The kernel parent this process forked as it started (:func:`prefork_parent`), while it is
#: not in use.
_PREFORKED: list[KernelParent] = []


def prefork_parent() -> None:
    """Fork this process's kernel parent now, while it runs one thread: a Dask worker
    forked warm from the fork server (:mod:`.daskwarmup`) starts threads of its own before
    any set-up of archlib's runs, and a process with other threads cannot be forked from
    safely. Taken by :func:`take_preforked`; it ends as this process does."""
    if _PREFORKED or not can_fork_here(sys.executable):  # (never a new interpreter here)
        return
    with contextlib.suppress(Exception):  # then the worker starts one the other way
        _PREFORKED.append(KernelParent(sys.executable, log_path=None))


def take_preforked(python: str, timeout_s: float) -> KernelParent | None:
    """This process's preforked kernel parent, if it has one, alive, for ``python``
    (``timeout_s``: for each request); give it back with :func:`release`."""
    if not _PREFORKED or os.path.abspath(python) != os.path.abspath(sys.executable):
        return None
    parent = _PREFORKED.pop()
    if parent.alive():
        parent.preforked = True
        parent._sock.settimeout(timeout_s)
        return parent
    parent.close()
    return None


def release(parent: KernelParent) -> None:
    """Done with ``parent``: a preforked one, still alive, is kept for the next batch on
    this worker (it never runs notebook code); any other is closed."""
    if parent.preforked and parent.alive() and not _PREFORKED:
        _PREFORKED.append(parent)
    else:
        parent.close()


@functools.cache
def ready_client() -> type[Any]:
    """jupyter_client's async client, ready once ``kernel_info`` is answered and IOPub
    connected."""
    from jupyter_client.asynchronous.client import AsyncKernelClient

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """``kernel_info`` answered and IOPub connected (one message received): ready.
            jupyter_client then waits for 0.2 s of IOPub silence, which only discards
            messages that belong to no request of the notebook's."""
            from queue import Empty

            deadline = time.monotonic() + (timeout if timeout is not None else 1e9)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:
                            await self.iopub_channel.get_msg(timeout=0.2)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyClient


def fork_kernel_manager(parent: KernelParent, kernel_name: str, **traits: Any) -> Any:
    """An ``AsyncKernelManager`` whose kernels ``parent`` forks and whose clients do not wait
    for IOPub silence. ``start_kernel(cwd=..., stdout=..., extra_arguments=...)`` as usual."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            if (kernel_python([*cmd[:4], "{connection_file}"]) is None
                    or os.path.abspath(cmd[0]) != os.path.abspath(parent.python)):
                raise RuntimeError(f"not a forkable kernel command: {cmd[:4]}")
            stdout = kwargs.get("stdout")
            path = getattr(stdout, "name", os.devnull)
            env = dict(kwargs.get("env") or os.environ)
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
            pid = parent.fork(cmd[3:], cwd=str(kwargs.get("cwd") or os.getcwd()), env=env,
                              stdout=path)
            self.process = _ForkedProcess(pid)  # type: ignore[assignment]  # Popen's part
            self.pid = self.pgid = pid
            self.cwd = kwargs.get("cwd")
            return self.connection_info

    km = AsyncKernelManager(kernel_name=kernel_name, **traits)
    km.client_factory = ready_client()
    provisioner = ForkProvisioner(kernel_id=None, kernel_spec=km.kernel_spec, parent=km)
    km.provisioner = provisioner
    return km

