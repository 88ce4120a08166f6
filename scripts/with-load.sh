#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a command on a "loaded machine": N extra sleeping processes (default 3000) alive for the
# whole run, as on a busy build server.
#   scripts/with-load.sh [-n N] -- command [args...]
# Each extra process is a `cat` reading a pipe whose only write end this script's controller
# holds: when the command ends, or the controller dies for any reason (even SIGKILL), every
# reader sees end-of-file and exits, so no sleeper outlives the run. The command does not
# inherit the write end. Exit status: the command's (or 2 for a usage error, 3 if fewer than N
# processes could be started).
set -euo pipefail
n=3000
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=${2:?-n needs a number}; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: with-load.sh [-n N] -- command [args...]" >&2; exit 2; }

exec /usr/bin/python3 - "$n" "$@" <<'PY'
import os, subprocess, sys, time

n, cmd = int(sys.argv[1]), sys.argv[2:]
r, w = os.pipe()            # both ends close-on-exec; the readers get r as their stdin
devnull = os.open(os.devnull, os.O_WRONLY)
actions = [(os.POSIX_SPAWN_DUP2, r, 0), (os.POSIX_SPAWN_DUP2, devnull, 1)]
pids = []
t0 = time.monotonic()
try:
    for _ in range(n):
        pids.append(os.posix_spawn("/bin/cat", ["cat"], os.environ, file_actions=actions))
except OSError as e:
    print(f"with-load: started {len(pids)} of {n} processes: {e}", file=sys.stderr)
os.close(r)
os.close(devnull)
total = sum(1 for d in os.listdir("/proc") if d.isdigit())
print(f"with-load: {len(pids)} extra processes started in {time.monotonic() - t0:.1f}s; "
      f"{total} processes on the machine", flush=True)
rc = 3
if len(pids) == n:
    rc = subprocess.call(cmd)
os.close(w)                 # every reader sees end-of-file and exits
for p in pids:
    os.waitpid(p, 0)
print(f"with-load: the {len(pids)} extra processes exited", flush=True)
sys.exit(rc)
PY
