#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Oracle checks for the psinfo CLI tests (run by tests/test_cli*.c with /usr/bin/python3).

usage: check.py MODE [ARGS]    (the CLI's output on stdin)

  json                 stdin is one valid JSON document (strict UTF-8, no NaN/Infinity)
  proc PID             stdin is `psinfo proc PID --json`; compare with psutil.Process(PID).as_dict()
  ps                   stdin is `psinfo ps --json`; compare every process psutil also sees
  disks [all]          stdin is `psinfo disks --json`; compare with psutil.disk_partitions/disk_usage
  mem                  stdin is `psinfo mem --json`; compare with virtual_memory/swap_memory
  cpu                  stdin is `psinfo cpu --json`; compare counts and cumulative times
  users                stdin is `psinfo users --json`; compare with psutil.users()
  prom                 stdin is `psinfo metrics`; cross-check values with psutil

Exit status 0 when everything matches; otherwise the differences are printed and the status is 1.
Moving values are compared with the tolerances stated next to each comparison.
"""
import json
import math
import os
import sys
import time

import psutil

errors = []


def fail(msg):
    errors.append(msg)


def load_stdin():
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8", "strict")
    except UnicodeDecodeError as e:
        print("output is not valid UTF-8: %s" % e)
        sys.exit(1)

    def bad_constant(name):
        raise ValueError("non-JSON constant %s" % name)

    try:
        return json.loads(text, parse_constant=bad_constant)
    except ValueError as e:
        print("invalid JSON: %s" % e)
        print(text[:2000])
        sys.exit(1)


def to_plain(v):
    """psutil value -> what JSON would give: namedtuples -> dicts, tuples -> lists."""
    if hasattr(v, "_asdict"):
        d = {k: to_plain(x) for k, x in v._asdict().items()}
        if type(v).__name__ in ("pmem", "pfullmem") and d.get("lib") == 0 and d.get("dirty") == 0:
            # psutil 8's pmem/pfullmem dropped lib and dirty (0 since Linux 2.6), as the CLI;
            # a nonzero one stays, and the key sets then differ
            del d["lib"], d["dirty"]
        return d
    if isinstance(v, (list, tuple)):
        return [to_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: to_plain(x) for k, x in v.items()}
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return int(v)  # IntEnum -> int
    return v


def close(a, b, abs_tol=0.0, rel_tol=0.0):
    return abs(a - b) <= max(abs_tol, rel_tol * max(abs(a), abs(b)))


# Fields of a process that do not move (compared exactly), and moving ones with tolerances.
PROC_EXACT = ["pid", "ppid", "name", "exe", "cwd", "cmdline", "username", "uids", "gids",
              "terminal", "nice", "cpu_affinity", "ionice", "environ"]
# (field, absolute tolerance, relative tolerance) for numbers / every number of an object
PROC_TOL = {
    "create_time": (0.02, 0),
    "cpu_times": (0.5, 0),         # seconds: the process may run between the two reads
    "memory_info": (8 << 20, 0.2),  # bytes: allocations between the reads
    "memory_full_info": (8 << 20, 0.2),
    "memory_info_ex": (8 << 20, 0.2),
    "memory_footprint": (8 << 20, 0.2),
    "page_faults": (10000, 0.5),
    "num_threads": (2, 0),
    "num_fds": (4, 0),
    "num_ctx_switches": (1000, 0.5),
    "io_counters": (1 << 20, 0.5),
    "memory_percent": (0.5, 0),
    "cpu_num": (64, 0),            # any CPU
    "cpu_percent": (1000, 0),
}
# Under valgrind (scripts/valgrind-suite.sh sets PSINFO_UNDER_VALGRIND=1) the CLI, a child of
# the process compared and reaped between the two reads, burns ~25 times the CPU it needs natively,
# so that process's children_* times jump by that much: only that tolerance is widened.
if os.environ.get("PSINFO_UNDER_VALGRIND") == "1":
    PROC_TOL["cpu_times"] = (0.5 * 25, 0)
    sys.stderr.write("[vgaware] check.py: cpu_times compared within 12.5 s (valgrind)\n")
# fields whose value may legitimately change between the reads (compared loosely)
PROC_SKIP_VALUE = {"status", "threads", "open_files", "connections", "net_connections",
                   "memory_maps", "cpu_percent"}


def cmp_value(where, field, mine, ref, tol):
    if isinstance(ref, dict):
        if not isinstance(mine, dict):
            fail("%s %s: expected an object like %r, got %r" % (where, field, ref, mine))
            return
        if set(mine) != set(ref):
            fail("%s %s: keys %s != psutil's %s" % (where, field, sorted(mine), sorted(ref)))
            return
        for k in ref:
            cmp_value(where, "%s.%s" % (field, k), mine[k], ref[k], tol)
        return
    if isinstance(ref, list):
        if not isinstance(mine, list) or len(mine) != len(ref):
            fail("%s %s: %r != psutil's %r" % (where, field, mine, ref))
            return
        for i, (a, b) in enumerate(zip(mine, ref)):
            cmp_value(where, "%s[%d]" % (field, i), a, b, tol)
        return
    if isinstance(ref, bool) or ref is None or isinstance(ref, str):
        if mine != ref or type(mine) is not type(ref):
            fail("%s %s: %r != psutil's %r" % (where, field, mine, ref))
        return
    if isinstance(ref, (int, float)):
        if isinstance(mine, bool) or not isinstance(mine, (int, float)):
            fail("%s %s: %r is not a number (psutil: %r)" % (where, field, mine, ref))
            return
        if isinstance(ref, float) and not isinstance(mine, float):
            fail("%s %s: %r is not a float like psutil's %r" % (where, field, mine, ref))
        a, r = tol if tol else (0, 0)
        if not close(mine, ref, a, r):
            fail("%s %s: %r != psutil's %r (tolerance %r)" % (where, field, mine, ref, tol))
        return
    fail("%s %s: unexpected psutil type %r" % (where, field, type(ref)))


# In `ps` mode every process of a busy machine is compared: counters of busy processes move
# more between the two reads, so they get looser tolerances (the shape and the exact fields
# are what that comparison is for; `proc` compares one quiet process tightly).
PS_TOL = {
    "memory_info": (256 << 20, 0.5),
    "num_threads": (64, 0),
    "num_fds": (256, 0),
    "num_ctx_switches": (1 << 20, 1.0),
    "io_counters": (1 << 30, 1.0),
    "memory_percent": (2.0, 0),
    "cpu_num": (1024, 0),
    "cpu_percent": (1e9, 0),
}
# psutil < 7 returns '' / [] for a zombie's exe / cmdline / cwd where psutil 7 (and libpsinfo)
# raise ZombieProcess (-> null in as_dict)
ZOMBIE_NULLABLE = {"exe", "cmdline", "cwd", "environ", "memory_maps", "memory_full_info",
                   "memory_footprint", "net_connections",
                   # KNOWN DIFFERENCE (reported to NET): ps_proc_net_connections reads the
                   # zombie's <proc>/PID/net/ tables, which are gone -> PS_ENOENT; psutil: []
                   "connections"}


# psutil 8's as_dict() keys that Debian's psutil 5.9.4 lacks, read the way psutil 8 reads them:
# net_connections is 5.9's connections(); memory_footprint is the uss/pss/swap of 5.9's
# memory_full_info() (the same smaps_rollup sums); memory_info_ex is memory_info plus the lines
# of /proc/PID/status psutil 8 parses; page_faults is fields 10 and 12 of /proc/PID/stat.
PSUTIL8_NEW = {"net_connections", "memory_footprint", "memory_info_ex", "page_faults"}


def _status_kb(pid, key):
    with open("/proc/%d/status" % pid, "rb") as f:   # Name: may be any bytes
        for line in f:
            if line.startswith(key.encode() + b":"):
                return int(line.split()[1]) * 1024
    return None


def psutil8_attr(p, a):
    if a == "net_connections":
        return p.connections()
    if a == "memory_footprint":
        m = p.memory_full_info()
        return {"uss": m.uss, "pss": m.pss, "swap": m.swap}
    if a == "page_faults":
        with open("/proc/%d/stat" % p.pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return {"minor": int(fields[7]), "major": int(fields[9])}   # stat fields 10 and 12
    if a == "memory_info_ex":
        m = p.memory_info()
        d = {"rss": m.rss, "vms": m.vms, "shared": m.shared, "text": m.text, "data": m.data}
        has_mm = _status_kb(p.pid, "VmRSS") is not None   # no mm (zombie, kernel thread): 0
        for k, line in (("peak_rss", "VmHWM"), ("peak_vms", "VmPeak"), ("rss_anon", "RssAnon"),
                        ("rss_file", "RssFile"), ("rss_shmem", "RssShmem"), ("swap", "VmSwap"),
                        ("hugetlb", "HugetlbPages")):
            v = _status_kb(p.pid, line)
            d[k] = v if v is not None else (None if has_mm else 0)
        return d
    return getattr(p, a)()


def as_dict(p, attrs):
    """p.as_dict(attrs) one attribute at a time: psutil 5.9 raises NoSuchProcess (not
    ZombieProcess) for some reads of a zombie (environ), which as_dict does not swallow."""
    out = {}
    for a in attrs:
        if a == "pid":
            out[a] = p.pid
            continue
        try:
            out[a] = psutil8_attr(p, a)
        except (psutil.AccessDenied, psutil.ZombieProcess):
            out[a] = None
        except psutil.NoSuchProcess:
            if p.status() != psutil.STATUS_ZOMBIE:
                raise
            out[a] = None
    return out


# In `ps` mode our table is read first and psutil's later, seconds apart on a busy machine:
# CPU times only grow, so ours may not exceed psutil's (beyond clock-tick rounding); user and
# system grow at most by the elapsed time on every CPU, children_* by whatever the reaped
# children used (a test runner reaps minutes of CPU at once), so only their order is checked.
PS_STARTED = None
TICK_SLACK = 0.05


def cmp_cpu_times_monotonic(where, mine, ref):
    if not isinstance(mine, dict) or set(mine) != set(ref):
        fail("%s cpu_times: %r has not psutil's keys %s" % (where, mine, sorted(ref)))
        return
    elapsed = time.time() - (PS_STARTED if PS_STARTED is not None else time.time() - 60)
    growth = (elapsed + 1.0) * (os.cpu_count() or 1)
    for k, refv in ref.items():
        mv = mine[k]
        if isinstance(mv, bool) or not isinstance(mv, float) or mv < 0:
            fail("%s cpu_times.%s: %r is not a non-negative float (psutil %r)" % (where, k, mv, refv))
        elif mv > refv + TICK_SLACK:
            fail("%s cpu_times.%s: %r is more than psutil's later %r" % (where, k, mv, refv))
        elif not k.startswith("children_") and refv - mv > growth:
            fail("%s cpu_times.%s: %r vs psutil's %r: grew more than %.1f CPU-seconds"
                 % (where, k, mv, refv, growth))


def compare_proc_dict(mine, pid, required, allow_gone=True, loose=False):
    """Compare one CLI object with psutil.Process(pid).as_dict(). Returns False if gone."""
    where = "pid %d" % pid
    try:
        p = psutil.Process(pid)
        attrs = [k for k in mine.keys()]
        valid = set(psutil.Process().as_dict().keys()) | {"pid"} | PSUTIL8_NEW
        unknown = [k for k in attrs if k not in valid]
        if unknown:
            fail("%s: keys psutil's as_dict does not have: %s" % (where, unknown))
        ref = to_plain(as_dict(p, [k for k in attrs if k in valid]))
    except psutil.NoSuchProcess:
        if allow_gone:
            return False
        raise
    for k in required:
        if k not in mine:
            fail("%s: key %r missing" % (where, k))
    zombie = ref.get("status") == "zombie" or mine.get("status") == "zombie"
    kernel_thread = ref.get("ppid") == 2 or pid == 2
    for k, refv in ref.items():
        if k not in mine:
            continue
        mv = mine[k]
        if zombie and k in ZOMBIE_NULLABLE and mv is None:
            continue
        if kernel_thread and k == "name":
            # kworker names follow the workqueue they serve at the moment
            if not isinstance(mv, str) or mv.split("-")[0] != refv.split("-")[0]:
                fail("%s name %r != psutil's %r" % (where, mv, refv))
            continue
        if loose and k == "cpu_times" and isinstance(refv, dict):
            cmp_cpu_times_monotonic(where, mv, refv)
            continue
        if k in PROC_SKIP_VALUE:
            # only the shape: null exactly when psutil has None
            if (mv is None) != (refv is None):
                fail("%s %s: %r vs psutil's %r" % (where, k, mv, refv))
            continue
        cmp_value(where, k, mv, refv, (PS_TOL if loose else PROC_TOL).get(k))
    return True


def mode_json():
    load_stdin()


def mode_proc(pid):
    mine = load_stdin()
    if not isinstance(mine, dict):
        fail("not an object")
        return
    # psutil 8's as_dict() keys, plus 5.9's connections and memory_full_info, which psutil 8
    # still answers (deprecated) and the CLI keeps as aliases
    full = set(psutil.Process().as_dict().keys()) | PSUTIL8_NEW
    missing = full - set(mine.keys())
    if missing:
        fail("keys of as_dict() missing: %s" % sorted(missing))
    extra = set(mine.keys()) - full
    if extra:
        fail("keys as_dict() does not have: %s" % sorted(extra))
    if mine.get("pid") != pid:
        fail("pid %r != %d" % (mine.get("pid"), pid))
    if not compare_proc_dict(mine, pid, [], allow_gone=False):
        fail("process %d is gone" % pid)


PS_REQUIRED = ["pid", "ppid", "name", "exe", "cwd", "username", "status", "create_time",
               "cmdline", "num_threads", "memory_info", "cpu_times", "uids", "gids", "terminal",
               "nice"]


def mode_ps(started=None):
    """started: when the CLI was started (epoch seconds); processes created before it must be
    listed unless they have exited since."""
    global PS_STARTED
    PS_STARTED = started
    mine = load_stdin()
    if not isinstance(mine, list):
        fail("not an array")
        return
    seen = {}
    for obj in mine:
        if not isinstance(obj, dict) or not isinstance(obj.get("pid"), int):
            fail("entry without an integer pid: %r" % (obj,))
            continue
        seen[obj["pid"]] = obj
    compared = 0
    now = time.time()
    for pid, obj in seen.items():
        ct = obj.get("create_time")
        if isinstance(ct, float) and now - ct < 3:
            continue  # may still be between fork and exec: its exe/cmdline/name are moving
        if compare_proc_dict(obj, pid, PS_REQUIRED, loose=True):
            compared += 1
    # every process psutil sees now that existed (by 1 s) before the CLI started must be listed
    now = time.time()
    limit = (started if started is not None else now - 5) - 1
    for p in psutil.process_iter(["create_time", "name"]):
        ct = p.info["create_time"]
        if ct is not None and ct < limit and p.pid not in seen:
            fail("pid %d (%s, %.0f s old) is missing from the table" % (p.pid, p.info["name"],
                                                                         now - ct))
    if compared < 3:
        fail("only %d processes could be compared" % compared)


def mode_disks(all_=False):
    mine = load_stdin()
    ref = psutil.disk_partitions(all=all_)
    mine_t = [(d["device"], d["mountpoint"], d["fstype"], d["opts"]) for d in mine]
    ref_t = [(d.device, d.mountpoint, d.fstype, d.opts) for d in ref]
    if mine_t != ref_t:
        fail("partitions differ:\n mine %r\n psutil %r" % (mine_t, ref_t))
    for d in mine:
        if set(d.keys()) != {"device", "mountpoint", "fstype", "opts", "usage"}:
            fail("keys of %r" % sorted(d.keys()))
        u = d["usage"]
        try:
            r = psutil.disk_usage(d["mountpoint"])
        except OSError:
            if u is not None:
                fail("%s: usage %r but psutil cannot stat it" % (d["mountpoint"], u))
            continue
        if u is None:
            fail("%s: usage null, psutil %r" % (d["mountpoint"], r))
            continue
        if u["total"] != r.total:
            fail("%s total %r != %r" % (d["mountpoint"], u["total"], r.total))
        # used/free move with other writers: 64 MiB or 1 %
        for k in ("used", "free"):
            if not close(u[k], getattr(r, k), 64 << 20, 0.01):
                fail("%s %s %r != %r" % (d["mountpoint"], k, u[k], getattr(r, k)))
        if not close(u["percent"], r.percent, 1.0):
            fail("%s percent %r != %r" % (d["mountpoint"], u["percent"], r.percent))


def mode_mem():
    mine = load_stdin()
    vm = psutil.virtual_memory()._asdict()
    if psutil.version_info < (6, 0):
        # psutil < 6 computed used = total - free - buffers - cached; libpsinfo follows psutil 6+
        # and procps >= 4.0.1 (used = total - available), documented in include/psinfo/system.h
        vm["used"] = vm["total"] - vm["available"]
    sw = psutil.swap_memory()._asdict()
    for name, ref, m in (("virtual_memory", vm, mine.get("virtual_memory")),
                         ("swap_memory", sw, mine.get("swap_memory"))):
        if not isinstance(m, dict) or set(m) != set(ref):
            fail("%s keys %r != psutil's %r" % (name, m and sorted(m), sorted(ref)))
            continue
        for k, v in ref.items():
            if k == "total":
                ok = m[k] == v
            elif k == "percent":
                ok = close(m[k], v, 2.0)   # percentage points
            elif k in ("sin", "sout"):
                ok = close(m[k], v, 64 << 20)
            else:
                ok = close(m[k], v, 64 << 20, 0.05)  # moving: 64 MiB or 5 %
            if not ok:
                fail("%s.%s %r != psutil's %r" % (name, k, m[k], v))


def mode_cpu():
    mine = load_stdin()
    if mine.get("cpu_count") != psutil.cpu_count():
        fail("cpu_count %r != %r" % (mine.get("cpu_count"), psutil.cpu_count()))
    if mine.get("cpu_count_physical") != psutil.cpu_count(logical=False):
        fail("cpu_count_physical %r != %r" % (mine.get("cpu_count_physical"),
                                               psutil.cpu_count(logical=False)))
    ref = psutil.cpu_times()._asdict()
    m = mine.get("cpu_times")
    # psutil 8 (gh-2747) puts user, system, idle first; 5.9.4 keeps /proc/stat's order
    order8 = [k for k in ("user", "system", "idle") if k in ref] + \
        [k for k in ref if k not in ("user", "system", "idle")]
    if not isinstance(m, dict) or list(m.keys()) != order8:
        fail("cpu_times keys %r != psutil's %r" % (m and list(m), list(ref)))
    else:
        ncpu = psutil.cpu_count()
        for k, v in ref.items():
            # cumulative: the CLI read first, so mine <= psutil's, within 30 s of CPU time
            if not (m[k] <= v + 0.05 and v - m[k] <= 30 * ncpu):
                fail("cpu_times.%s %r vs psutil's %r" % (k, m[k], v))
    per = mine.get("cpu_times_percpu")
    if not isinstance(per, list) or len(per) != len(psutil.cpu_times(percpu=True)):
        fail("cpu_times_percpu length")
    pc = mine.get("cpu_percent_percpu")
    if not isinstance(pc, list) or len(pc) != psutil.cpu_count():
        fail("cpu_percent_percpu length")
    for x in (pc or []) + [mine.get("cpu_percent")]:
        if not isinstance(x, float) or not 0.0 <= x <= 100.0:
            fail("cpu percent %r out of range" % (x,))
    st = mine.get("cpu_stats")
    if not isinstance(st, dict) or list(st) != list(psutil.cpu_stats()._fields):
        fail("cpu_stats keys %r" % (st,))
    la = mine.get("getloadavg")
    ref_la = psutil.getloadavg()
    if not isinstance(la, list) or len(la) != 3 or any(not close(a, b, 2.0) for a, b in
                                                         zip(la, ref_la)):
        fail("getloadavg %r vs %r" % (la, ref_la))


def mode_users():
    mine = load_stdin()
    ref = [to_plain(u) for u in psutil.users()]
    if len(mine) != len(ref):
        fail("users %r != psutil's %r" % (mine, ref))
        return
    for a, b in zip(mine, ref):
        cmp_value("users", "entry", a, b, (0.001, 0))


def mode_prom():
    """Cross-check a few metric values with psutil (promtool checks the syntax)."""
    text = sys.stdin.buffer.read().decode("utf-8", "strict")
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name_labels, _, value = line.rpartition(" ")
        samples[name_labels] = float(value)
    vm = psutil.virtual_memory()
    checks = [("psinfo_memory_total_bytes", vm.total, 0),
              ("psinfo_cpu_logical_cpus", psutil.cpu_count(), 0),
              ("psinfo_boot_time_seconds", psutil.boot_time(), 1.0)]
    for name, ref, tol in checks:
        if name not in samples:
            fail("metric %s missing" % name)
        elif not close(samples[name], ref, tol):
            fail("%s = %r, psutil %r" % (name, samples[name], ref))
    key = 'psinfo_process_resident_memory_bytes{pid="%d"' % os.getppid()
    if not any(k.startswith(key) for k in samples):
        fail("no psinfo_process_resident_memory_bytes for pid %d (the caller)" % os.getppid())


def mode_net():
    """`psinfo net --json`: addresses and interface state exactly, counters within tolerances,
    listening TCP sockets (stable) as psutil lists them."""
    mine = load_stdin()
    ref_addrs = {k: [to_plain(a) for a in v] for k, v in psutil.net_if_addrs().items()}
    if mine.get("net_if_addrs") != ref_addrs:
        fail("net_if_addrs %r != psutil's %r" % (mine.get("net_if_addrs"), ref_addrs))
    ref_stats = {k: to_plain(v) for k, v in psutil.net_if_stats().items()}
    if mine.get("net_if_stats") != ref_stats:
        fail("net_if_stats %r != psutil's %r" % (mine.get("net_if_stats"), ref_stats))
    ref_io = {k: to_plain(v) for k, v in psutil.net_io_counters(pernic=True).items()}
    io = mine.get("net_io_counters") or {}
    if set(io) != set(ref_io):
        fail("NICs %r != %r" % (sorted(io), sorted(ref_io)))
    for nic, c in io.items():
        for k, v in ref_io.get(nic, {}).items():
            # counters only grow, and the CLI read first: 64 MiB / 100k packets of traffic
            if not (c[k] <= v and v - c[k] <= (64 << 20 if "bytes" in k else 100000)):
                fail("%s.%s %r vs psutil's %r" % (nic, k, c[k], v))

    def listening(conns):
        out = set()
        for c in conns:
            if c["status"] == "LISTEN":
                la = c["laddr"]
                out.add((c["family"], c["type"], la["ip"], la["port"], c["pid"]))
        return out

    ref_conns = [to_plain(c) for c in psutil.net_connections("inet")]
    a, b = listening(mine.get("net_connections") or []), listening(ref_conns)
    if a != b:
        fail("listening sockets %r != psutil's %r" % (sorted(a), sorted(b)))
    for c in mine.get("net_connections") or []:
        if set(c) != {"fd", "family", "type", "laddr", "raddr", "status", "pid"}:
            fail("connection keys %r" % sorted(c))
            break


def mode_wait_any(alive, gone, records):
    """`psinfo wait --any --json ALIVE GONE`: GONE ended (it exited 0, reaped by the test, not
    by psinfo: its status comes from the kernel's exit record where the kernel keeps one,
    records = 1, else it is unknown), ALIVE did not; entries in argument order."""
    mine = load_stdin()
    if [e["pid"] for e in mine] != [alive, gone]:
        fail("pids %r" % [e.get("pid") for e in mine])
        return
    a, g = mine
    if a["done"] or a["kind"] is not None or a["error"] is not None or a["source"] is not None:
        fail("still-running entry %r" % a)
    if records:
        want = {"kind": "exited", "returncode": 0, "source": "pidfd-exit-record",
                "mechanism": "pidfd", "core_dumped": None}
    else:
        want = {"kind": "gone", "returncode": None, "source": None, "core_dumped": None}
    if not g["done"] or any(g.get(k) != v for k, v in want.items()) or \
            g["mechanism"] not in ("pidfd", "fallback"):
        fail("ended entry %r, expected %r" % (g, want))


def mode_fixture_disks():
    """`psinfo --procfs tests/cli/fixtures/proc disks --json`: the strings psutil would give."""
    mine = load_stdin()
    want = [b"/nonexistent/psinfo-fixture", b"/nonexistent/psinfo-fixture/boot efi",
            b"/nonexistent/psinfo-fixture/caf\xc3\xa9/\xff\xfe"]
    want = [w.decode("utf-8", "surrogateescape") for w in want]
    got = [d["mountpoint"] for d in mine]
    if got != want:
        fail("mount points %r != %r" % (got, want))
    if os.fsencode(got[-1]) != b"/nonexistent/psinfo-fixture/caf\xc3\xa9/\xff\xfe":
        fail("fsencode of %r" % got[-1])


def mode_sorted(key):
    mine = load_stdin()
    if key == "pid":
        vals = [p["pid"] for p in mine]
        if vals != sorted(vals):
            fail("not sorted by pid")
    elif key == "mem":
        vals = [(p["memory_info"] or {}).get("rss", 0) for p in mine]
        if vals != sorted(vals, reverse=True):
            fail("not sorted by rss (decreasing): %r" % vals)


def mode_tree(parent, child):
    """`psinfo tree --json`: child is under parent, every node is listed once, edges match
    psutil's ppid for processes that existed before."""
    roots = load_stdin()
    seen = {}

    def walk(node, ppid):
        pid = node["pid"]
        if pid in seen:
            fail("pid %d listed twice" % pid)
        seen[pid] = ppid
        for c in node["children"]:
            walk(c, pid)

    for r in roots:
        walk(r, None)
    if seen.get(child) != parent:
        fail("child %d is under %r, not %d" % (child, seen.get(child), parent))
    now = time.time()
    for p in psutil.process_iter(["ppid", "create_time"]):
        if p.pid in seen and now - p.info["create_time"] > 3 and seen[p.pid] is not None:
            if seen[p.pid] != p.info["ppid"]:
                fail("pid %d under %d, psutil ppid %d" % (p.pid, seen[p.pid], p.info["ppid"]))


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    mode = sys.argv[1]
    if mode == "json":
        mode_json()
    elif mode == "proc":
        mode_proc(int(sys.argv[2]))
    elif mode == "ps":
        mode_ps(float(sys.argv[2]) if len(sys.argv) > 2 else None)
    elif mode == "disks":
        mode_disks(len(sys.argv) > 2 and sys.argv[2] == "all")
    elif mode == "mem":
        mode_mem()
    elif mode == "cpu":
        mode_cpu()
    elif mode == "wait-any":
        mode_wait_any(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "net":
        mode_net()
    elif mode == "users":
        mode_users()
    elif mode == "sorted":
        mode_sorted(sys.argv[2])
    elif mode == "tree":
        mode_tree(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "fixture-disks":
        mode_fixture_disks()
    elif mode == "prom":
        mode_prom()
    else:
        print("unknown mode %s" % mode)
        sys.exit(2)
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
