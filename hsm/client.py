"""TokenClient: the UKey as the rest of the client sees it. Every PKCS#11 call runs in a separate token
process (``hsm.token_process``) started with multiprocessing's "spawn" context; this side only sends
requests over a pipe, bounds each one with a timeout, and restarts the process when it dies or hangs.

Frozen builds must call ``multiprocessing.freeze_support()`` first thing in ``main()``.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from typing import Any

from hsm.errors import TokenProcessDied, TokenTimeout, from_wire
from hsm.types import TokenInfo, TokenState
from hsm.watch import StatePolling

log = logging.getLogger(__name__)

_QUIT_WAIT = 2.0  # seconds a polite quit may take before the process is killed


class TokenClient(StatePolling):
    """Thread-safe: calls are serialised, so the watcher thread and the caller can share it."""

    def __init__(self, module_path: str, *, call_timeout: float = 10.0, env: dict[str, str] | None = None) -> None:
        self.module_path = module_path
        self.call_timeout = call_timeout
        self._env = dict(env or {})
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Any = None
        self._logged_in = False
        self._key_type: str | None = None
        self._login_lost_to_crash = False  # sign() keeps saying TokenProcessDied until the next login

    # --- process lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Spawn the token process unless it is running. The child gets os.environ plus ``env``."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._discard_process()
            from hsm import token_process  # imports PyKCS11; only needed to name the child's entry point

            parent_end, child_end = self._ctx.Pipe()
            process = self._ctx.Process(
                target=token_process.serve,
                args=(child_end, self.module_path, self._env),
                name="gjj-ukey-token",
                daemon=True,
            )
            process.start()
            child_end.close()
            self._process, self._conn = process, parent_end

    def close(self) -> None:
        """Stop the watcher and the token process (politely, then by force)."""
        self.unwatch()
        with self._lock:
            if self._process is not None and self._process.is_alive():
                try:
                    self._conn.send(("quit", ()))
                    if self._conn.poll(_QUIT_WAIT):
                        self._conn.recv()
                except (EOFError, OSError):
                    pass
                self._process.join(_QUIT_WAIT)
            self._discard_process()

    def restart(self) -> None:
        with self._lock:
            self._discard_process()
            self.start()

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    @property
    def alive(self) -> bool:
        process = self._process
        return process is not None and process.is_alive()

    def __enter__(self) -> TokenClient:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _discard_process(self) -> None:
        """Forget the current process (killing it if it still runs); the login goes with it."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        self._logged_in = False
        self._key_type = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(_QUIT_WAIT)
            try:
                process.close()
            except ValueError:  # still running after kill + wait: leave it to the OS
                log.warning("UKey token process %s did not exit after SIGKILL", process.pid)

    def _replace_process(self, reason: str, *, crashed: bool) -> None:
        process = self._process
        exitcode = process.exitcode if process is not None else None
        log.warning("UKey token process %s (pid %s, exit code %s); restarting", reason, self.pid, exitcode)
        self._login_lost_to_crash = crashed and (self._login_lost_to_crash or self._logged_in)
        self._discard_process()
        try:
            self.start()
        except OSError:  # cannot spawn right now: the next call tries again
            log.exception("could not restart the UKey token process")

    # --- the pipe --------------------------------------------------------------------------------------

    def _call(self, op: str, *args: Any) -> Any:
        with self._lock:
            if self._process is not None and not self._process.is_alive():
                self._replace_process("died between calls", crashed=True)
                raise TokenProcessDied()
            self.start()
            conn = self._conn
            try:
                conn.send((op, args))
                if not conn.poll(self.call_timeout):
                    self._replace_process(f"did not answer {op!r} within {self.call_timeout} s", crashed=False)
                    raise TokenTimeout()
                reply = conn.recv()
            except (EOFError, OSError):
                self._replace_process(f"died during {op!r}", crashed=True)
                raise TokenProcessDied() from None
            self._logged_in = reply[-1]
            if not self._logged_in:
                self._key_type = None
            if reply[0] == "ok":
                return reply[1]
            raise from_wire(reply[1], reply[2])

    # --- the UKey --------------------------------------------------------------------------------------

    def list_tokens(self) -> list[TokenInfo]:
        return self._call("list_tokens")

    def state(self) -> TokenState:
        """The UKey in use (the logged-in one, else the first present). Raises TokenError when the token
        service cannot tell (driver missing, process died or hung); ``watch`` turns that into
        ``TokenState(present=False, error=message)``."""
        return self._call("state")

    def certificate(self, serial: str | None = None) -> bytes:
        return self._call("certificate", serial)

    def login(self, pin: str, serial: str | None = None) -> None:
        with self._lock:
            self._login_lost_to_crash = False  # the clerk is typing the PIN again
            self._key_type = self._call("login", pin, serial)

    def logout(self) -> None:
        """Always succeeds on this side: a token process that died or hangs has no login left to end."""
        with self._lock:
            self._login_lost_to_crash = False
            if self.alive:
                try:
                    self._call("logout")
                except (TokenProcessDied, TokenTimeout) as exc:
                    log.info("UKey logout: %s", exc.message)
            self._logged_in = False
            self._key_type = None

    @property
    def logged_in(self) -> bool:
        """Last known login state; no call to the token process (safe on the GUI thread)."""
        return self._logged_in

    @property
    def key_type(self) -> str | None:
        """``"rsa2048"`` or ``"ec-p256"`` (RSA of another size: ``"rsa<bits>"``) while logged in, else None."""
        return self._key_type if self._logged_in else None

    def sign(self, data: bytes) -> bytes:
        """RSA PKCS#1 v1.5 with SHA-256, or ECDSA with SHA-256 as DER, by the logged-in UKey's key."""
        with self._lock:
            if self._login_lost_to_crash and not self._logged_in:
                raise TokenProcessDied()
            return self._call("sign", bytes(data))

    def _debug_sleep(self, seconds: float) -> None:
        """Test-only: a token call that takes ``seconds`` (stands in for a hanging driver)."""
        self._call("sleep", seconds)
