"""What the three engine drivers share: the command lines of PROTOCOL.md and process helpers."""
import ctypes
import json
import signal
import socket


def error_result(run_id, message):
    """A `result` line for a run that could not happen."""
    return {"event": "result", "id": run_id, "done": False, "seconds": 0.0, "console": [], "dialogs": [],
            "error": message}


def parse_command(line):
    """One stdin line -> ("run", cmd) | ("quit", None) | ("skip", None) | ("error", result line)."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", "replace")
    line = line.strip()
    if not line:
        return "skip", None
    try:
        cmd = json.loads(line)
        if not isinstance(cmd, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        return "error", error_result(None, "bad command line: %s" % e)
    what = cmd.get("cmd")
    if what == "quit":
        return "quit", None
    if what != "run":
        return "error", error_result(cmd.get("id"), "unknown cmd %r" % (what,))
    return "run", cmd


def run_commands(lines, emit):
    """The `run` commands among stdin lines, in order; answers bad lines itself, stops at quit/EOF."""
    for line in lines:
        kind, cmd = parse_command(line)
        if kind == "quit":
            return
        if kind == "error":
            emit(cmd)
        elif kind == "run":
            yield cmd


def free_port():
    """A loopback port nobody listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def die_with_parent(sig=signal.SIGTERM):
    """For preexec_fn: the child gets `sig` when the driver dies (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, sig, 0, 0, 0)
    except Exception:
        pass
