/* SPDX-License-Identifier: MIT */
/*
 * macOS data decoders that need no macOS header: every byte layout the macOS back end reads
 * (KERN_PROCARGS2, proc_taskinfo, rusage_info_v0, xsw_usage, vm_statistics64, the
 * NET_RT_IFLIST2 message stream) is decoded here from the layout Apple documents, at fixed
 * offsets (macOS is little-endian on both x86_64 and arm64). The darwin_*.c files check at
 * compile time that these offsets equal the SDK's (offsetof asserts), and the Linux test suite
 * runs these functions on fixtures built from the same layouts, so the code that cannot run
 * here is reduced to the system calls themselves.
 */
#ifndef PS_DARWIN_PARSE_H
#define PS_DARWIN_PARSE_H

#include "../backend.h"

/* A native string holding a copy of s[0..n) plus a NUL (PS_ENOMEM). */
int ps__darwin_nstr_copy(ps__nstr *out, const char *s, size_t n);

/* ---- KERN_PROCARGS2: int argc; exec path NUL; NUL padding; argc args; env strings ------- */

/* Views into the caller's buffer (not copied, not NUL-terminated beyond what is said). */
typedef struct ps__darwin_procargs {
    const char *exec_path;   /* the kernel's saved exec path (may be empty) */
    size_t exec_path_len;
    const char *argv;        /* argc strings, each followed by its NUL; argv_len counts them all */
    size_t argv_len;
    size_t argc;             /* complete arguments found (<= the argc word) */
    const char *env;         /* strings each followed by a NUL, up to an empty one or the end */
    size_t env_len;
} ps__darwin_procargs;

/* Decode a KERN_PROCARGS2 buffer of len bytes. An argument cut by the end of the buffer is
 * dropped (as psutil); env is empty when the buffer ends within the arguments. PS_EPARSE for a
 * buffer shorter than the argc word or a negative argc. */
int ps__darwin_parse_procargs(const void *buf, size_t len, ps__darwin_procargs *out);

/* psutil's name rule: a kernel name (p_comm, at most 16 bytes) of 15 bytes or more may be cut,
 * so when the basename of argv[0] starts with it, the basename is the name. Returns 1 with
 * off and len locating that basename inside argv0, else 0. */
int ps__darwin_long_name(const char *comm, size_t comm_len, const char *argv0, size_t argv0_len,
                         size_t *off, size_t *len);

/* ---- Mach absolute time ---------------------------------------------------------------- */

/* Ticks to nanoseconds with a mach_timebase_info ratio (numer/denom; 1/1 on Intel, 125/3 on
 * Apple Silicon), without overflow for any 64-bit tick count (saturates at UINT64_MAX).
 * denom 0 gives UINT64_MAX. */
uint64_t ps__darwin_ticks_to_ns(uint64_t ticks, uint32_t numer, uint32_t denom);
/* Ticks per second from the timebase ratio (1e9 * denom / numer; 24 MHz for 125/3). 0 if
 * numer is 0. */
uint64_t ps__darwin_tbfreq_from_timebase(uint32_t numer, uint32_t denom);
/* Seconds of ticks at tbfreq ticks per second (hw.tbfrequency, which Rosetta 2 does not
 * rewrite, unlike mach_timebase_info). NaN if tbfreq is 0. */
double ps__darwin_ticks_to_sec(uint64_t ticks, uint64_t tbfreq);

/* ---- proc_pidinfo(PROC_PIDTASKINFO): struct proc_taskinfo ------------------------------- */

#define PS__DARWIN_TASKINFO_SIZE 96
typedef struct ps__darwin_task {
    uint64_t virtual_size, resident_size;   /* bytes */
    uint64_t total_user, total_system;      /* Mach ticks, live and dead threads */
    int32_t faults, pageins, csw, threadnum;
} ps__darwin_task;

/* Decode len bytes (PS_EPARSE unless len == PS__DARWIN_TASKINFO_SIZE: a short read is an
 * error, as psutil treats it). */
int ps__darwin_decode_taskinfo(const void *buf, size_t len, ps__darwin_task *out);
/* psutil's conversions: cpu times in seconds (children: NaN, macOS has none per process);
 * rss/vms; minor = faults - pageins, major = pageins (as getrusage); csw is voluntary +
 * involuntary together, reported as voluntary with involuntary PS_UNKNOWN_U64 (psutil: 0). */
void ps__darwin_task_cputimes(const ps__darwin_task *t, uint64_t tbfreq, ps_proc_cputimes *out);
void ps__darwin_task_mem(const ps__darwin_task *t, ps_proc_mem *out);
void ps__darwin_task_faults(const ps__darwin_task *t, ps_proc_pagefaults *out);
void ps__darwin_task_ctxsw(const ps__darwin_task *t, ps_proc_ctxsw *out);

/* ---- proc_pid_rusage(RUSAGE_INFO_V0): struct rusage_info_v0 ----------------------------- */

#define PS__DARWIN_RUSAGE_V0_SIZE 96
typedef struct ps__darwin_rusage {
    uint64_t user_time, system_time;       /* Mach ticks */
    uint64_t pageins, wired_size, resident_size, phys_footprint;
    uint64_t start_abstime;                /* Mach ticks since boot */
} ps__darwin_rusage;
/* PS_EPARSE if len < PS__DARWIN_RUSAGE_V0_SIZE (later versions only append). */
int ps__darwin_decode_rusage(const void *buf, size_t len, ps__darwin_rusage *out);

/* ---- proc_pidinfo(PROC_PIDREGIONINFO): struct proc_regioninfo, for uss ------------------- */

#define PS__DARWIN_REGIONINFO_SIZE 96
typedef struct ps__darwin_region {
    uint64_t address, size;
    uint32_t share_mode, ref_count, private_resident, shared_resident;   /* pages */
} ps__darwin_region;
int ps__darwin_decode_regioninfo(const void *buf, size_t len, ps__darwin_region *out);
/* Pages of the region that are the process's alone (psutil's uss, after top's libtop):
 * SM_PRIVATE and SM_LARGE_PAGE all resident pages; SM_COW the private ones, plus the shared
 * ones when the object has one reference; SM_SHARED and the rest none. In the dyld shared
 * region [shared_base, shared_base + shared_size) only SM_PRIVATE regions count. */
uint64_t ps__darwin_region_private_pages(const ps__darwin_region *r, uint64_t shared_base,
                                         uint64_t shared_size);
enum { PS__DARWIN_SM_COW = 1, PS__DARWIN_SM_PRIVATE = 2, PS__DARWIN_SM_SHARED = 4,
       PS__DARWIN_SM_LARGE_PAGE = 8 };

/* open(2) flags and psutil's mode string from proc_fileinfo.fi_openflags, which holds the
 * kernel's FREAD/FWRITE form (open flags + 1 in the access bits) plus O_APPEND (0x8). */
void ps__darwin_open_mode(uint32_t fflags, int32_t *oflags, char mode[4]);

/* ---- sysctl vm.swapusage: struct xsw_usage ---------------------------------------------- */

#define PS__DARWIN_XSW_USAGE_SIZE 32
/* total/used/free in bytes (free = xsu_avail). PS_EPARSE if len differs from the layout, or if
 * used exceeds total. */
int ps__darwin_decode_swapusage(const void *buf, size_t len, uint64_t *total, uint64_t *used,
                                uint64_t *avail);

/* ---- host_statistics64(HOST_VM_INFO64): struct vm_statistics64 --------------------------- */

/* The fields up to speculative_count (revision 0) are required; the struct is 152 bytes. */
#define PS__DARWIN_VMSTAT_MIN_SIZE 96
#define PS__DARWIN_VMSTAT_SIZE 152
typedef struct ps__darwin_vmstat {
    uint32_t free_count, active_count, inactive_count, wire_count, speculative_count;
    uint64_t pageins, pageouts;
} ps__darwin_vmstat;
int ps__darwin_decode_vmstat(const void *buf, size_t len, ps__darwin_vmstat *out);
/* psutil's virtual_memory: total = hw.memsize; active, inactive, wired = wire_count; free =
 * free_count - speculative_count; available = inactive + free_count; used = active + wired
 * (all pages * pagesize; vm_stat's figures). percent is left to the core. */
typedef struct ps__darwin_vmem {
    uint64_t total, available, used, free, active, inactive, wired;
} ps__darwin_vmem;
void ps__darwin_vmem_compute(const ps__darwin_vmstat *vm, uint64_t memsize, uint64_t pagesize,
                             ps__darwin_vmem *out);

/* ---- sysctl NET_RT_IFLIST2: RTM_IFINFO2 messages (if_msghdr2 + sockaddr_dl) -------------- */

#define PS__DARWIN_IFMSGHDR2_SIZE 160
#define PS__DARWIN_RTM_IFINFO2 0x12
typedef struct ps__darwin_ifcounters {
    const char *name;   /* a view into the buffer, name_len bytes (at most 16) */
    size_t name_len;
    uint32_t mtu;
    int32_t flags;
    ps_netio io;
} ps__darwin_ifcounters;
/* Walk the message stream: *pos is the offset of the next message (start at 0). Returns 1 with
 * *out filled for the next RTM_IFINFO2 message, 0 at the end, PS_EPARSE for a message whose
 * length is shorter than its header or runs past the buffer (the walk cannot continue).
 * Messages of other types are skipped by their length. */
int ps__darwin_next_ifinfo2(const void *buf, size_t len, size_t *pos, ps__darwin_ifcounters *out);

/* ---- proc_pidfdinfo(PROC_PIDFDSOCKETINFO): struct socket_fdinfo ------------------------- */

/* Layout (sys/proc_info.h, XNU bsd/sys/proc_info.h; the same on x86_64 and arm64):
 * socket_fdinfo = proc_fileinfo pfi (24 bytes) + socket_info psi at 24. psi starts with
 * vinfo_stat soi_stat (136), soi_so, soi_pcb, then int soi_type (176 from the record's
 * start), soi_protocol (180), soi_family (184), ..., int soi_kind (256), 4 reserved bytes and
 * the soi_proto union at 264. For inet sockets the union holds in_sockinfo (pri_in, UDP) or
 * tcp_sockinfo (pri_tcp, whose first member is the same in_sockinfo): int insi_fport (264),
 * int insi_lport (268), ..., the in4in6_addr/in6_addr unions insi_faddr (296) and insi_laddr
 * (312), an IPv4 address in their last 4 bytes; tcpsi_state at 344. For UNIX sockets it holds
 * un_sockinfo: two uint64 handles, then unsi_addr (280), a sockaddr_un (u8 sun_len,
 * u8 sun_family, sun_path) inside a SOCK_MAXADDRLEN (255) byte union, then unsi_caddr (535).
 * Ports hold a network-order 16-bit value in the int's first two bytes (psutil: ntohs). */
#define PS__DARWIN_SOCKET_FDINFO_SIZE 792
enum {
    PS__DARWIN_AF_UNIX = 1, PS__DARWIN_AF_INET = 2, PS__DARWIN_AF_LINK = 18,
    PS__DARWIN_AF_INET6 = 30,
    PS__DARWIN_SOCK_STREAM = 1, PS__DARWIN_SOCK_DGRAM = 2, PS__DARWIN_SOCK_RAW = 3,
    PS__DARWIN_SOCK_RDM = 4, PS__DARWIN_SOCK_SEQPACKET = 5
};
typedef struct ps__darwin_socket {
    int32_t family, type;       /* the OS's AF_* and SOCK_* values */
    int32_t kind;               /* soi_kind: SOCKINFO_IN 1, SOCKINFO_TCP 2, SOCKINFO_UN 3, ... */
    int32_t tcp_state;          /* tcpsi_state (TCPS_*) for inet stream sockets, else -1 */
    uint8_t laddr[16], raddr[16];   /* network order; IPv4 in the first 4 bytes */
    int32_t lport, rport;       /* host order, 0..65535 */
    const char *path;           /* AF_UNIX: the bound sun_path up to its NUL (a view into the
                                   buffer, within the address union), else NULL */
    size_t path_len;
} ps__darwin_socket;
/* PS_EPARSE unless len == PS__DARWIN_SOCKET_FDINFO_SIZE (a short read is not data). */
int ps__darwin_decode_socket(const void *buf, size_t len, ps__darwin_socket *out);
/* psutil's kind filter (conn_tmap) on the OS family and type: 1 to keep the socket. Every kind
 * takes stream and datagram sockets only; "unix" and "all" take AF_UNIX. */
int ps__darwin_conn_wanted(ps_conn_kind kind, int32_t family, int32_t type);
/* A kept socket as the core's record (zeroed first): family and type in the library's values,
 * the TCP state through ps__darwin_tcp_status for stream sockets (NONE otherwise), inode 0
 * (macOS has no socket inode). The path is copied (PS_ENOMEM). */
int ps__darwin_socket_conn(const ps__darwin_socket *s, int64_t fd, int64_t pid, ps__bk_conn *out);

/* ---- getifaddrs(3) AF_LINK: struct sockaddr_dl ----------------------------------------- */

/* sockaddr_dl (net/if_dl.h): u8 sdl_len, u8 sdl_family, u16 sdl_index, u8 sdl_type,
 * u8 sdl_nlen, u8 sdl_alen, u8 sdl_slen, then sdl_data: the name (nlen bytes), the link-level
 * address (alen bytes, LLADDR), the selector. avail is how many bytes of sa may be read (the
 * sockaddr's own sdl_len on macOS; the smaller of the two is used). Returns 1 with *addr
 * viewing the alen address bytes inside sa, 0 when there is none (alen 0, or name + address
 * beyond the bytes available). */
int ps__darwin_lladdr(const void *sa, size_t avail, const unsigned char **addr, size_t *alen);

/* ---- SIOCGIFFLAGS / SIOCGIFMEDIA --------------------------------------------------------- */

/* psutil's comma-separated flag names for macOS's IFF_* bits (net/if.h), in psutil's order:
 * up, broadcast, debug, loopback, pointopoint, notrailers, running, noarp, promisc, allmulti,
 * multicast, oactive, simplex, link0, link1, link2 (PS_ENOMEM). Only the low 16 bits count,
 * as psutil reads ifr_flags. */
int ps__darwin_if_flags(uint32_t flags, ps__nstr *out);
/* Speed (Mbit/s, 0 unknown) and duplex of an ifmediareq.ifm_active word (net/if_media.h):
 * type bits 5-7 (IFM_ETHER 0x20, IFM_TOKEN 0x40, IFM_IEEE80211 0x80), subtype bits 0-4,
 * IFM_FDX 0x100000, IFM_HDX 0x200000. */
void ps__darwin_ifmedia(uint32_t active, ps_nic_duplex *duplex, int64_t *speed);

/* ---- getattrlist(ATTR_VOL_INFO | ATTR_VOL_SPACEUSED) -------------------------------------- */

/* The reply (getattrlist(2)): u32 length of the returned data (this word included), then the
 * attributes packed at 4-byte alignment: here one off_t, ATTR_VOL_SPACEUSED, at offset 4.
 * PS_EPARSE for fewer than 12 bytes, a length word below 12 or beyond len, or a negative
 * value. */
#define PS__DARWIN_SPACEUSED_REPLY_SIZE 12
int ps__darwin_decode_spaceused(const void *buf, size_t len, uint64_t *used);

/* ---- IOPSGetPowerSourceDescription: the first power source ----------------------------- */

/* psutil's sensors_battery from the description's "Current Capacity" (percent; psutil assumes a
 * "Max Capacity" of 100), "Power Source State" (== "AC Power": plugged) and "Time to Empty"
 * (minutes; absent, or -1 while macOS is still estimating: unknown). Plugged gives
 * PS_POWER_TIME_UNLIMITED as psutil; otherwise minutes * 60, PS_POWER_TIME_UNKNOWN for an
 * unknown or negative estimate. The percent is clamped to 0..100. */
void ps__darwin_battery(int32_t capacity, int plugged, int has_minutes, int32_t minutes,
                        ps_battery *out);

/* ---- IORegistry "pmgr" voltage-states tables (Apple Silicon cpu_freq) ------------------ */

/* 1 when the property name (len bytes, no NUL needed) is "voltage-states", one or more
 * decimal digits, "-sram": the per-cluster frequency tables psutil reads. Enumerated by name
 * because the numbers differ between chips. */
int ps__darwin_voltage_states_key(const char *name, size_t len);

/* The cpu_freq figures (MHz) gathered from the tables; found 0 until a CPU table is added. */
typedef struct ps__darwin_freq {
    double min, max;
    int found;
} ps__darwin_freq;

/* Adds one table of len bytes: records of 8 bytes, a little-endian u32 frequency then a u32
 * voltage (a cut last record is ignored). As psutil: a raw frequency above 1e8 is in Hz, else
 * in kHz (M4 and later); only 500..20000 MHz counts; a table whose highest frequency is below
 * 2000 MHz is not a CPU cluster (GPU, neural engine, fabric) and is skipped. Returns 1 when the
 * table counted, else 0. */
int ps__darwin_freq_table(ps__darwin_freq *acc, const void *data, size_t len);

/* ---- small tables ---------------------------------------------------------------------- */

/* Process status from kinfo_proc's p_stat, p_flag and e_flag as psutil guesses it (p_stat is
 * almost always SRUN): zombie, stopped; P_SYSTEM/P_WEXIT/P_PPWAIT -> idle; a session leader ->
 * sleeping; then SIDL idle, SRUN running, SSLEEP sleeping; anything else unknown. */
ps_process_status ps__darwin_status(int p_stat, int p_flag, int e_flag);
/* The documented values (sys/proc.h, sys/sysctl.h); the darwin files assert them. */
enum {
    PS__DARWIN_SIDL = 1, PS__DARWIN_SRUN = 2, PS__DARWIN_SSLEEP = 3, PS__DARWIN_SSTOP = 4,
    PS__DARWIN_SZOMB = 5,
    PS__DARWIN_P_PPWAIT = 0x10, PS__DARWIN_P_SYSTEM = 0x200, PS__DARWIN_P_WEXIT = 0x2000,
    PS__DARWIN_EPROC_SLEADER = 0x2
};
/* TCP state (netinet/tcp_fsm.h TCPS_*, 0 CLOSED .. 10 TIME_WAIT) to psutil's status. */
ps_conn_status ps__darwin_tcp_status(int tcps);
/* Load ticks of host_statistics(HOST_CPU_LOAD_INFO) / processor_cpu_load_info in the kernel's
 * order USER, SYSTEM, IDLE, NICE, at CLK_TCK (100) per second. */
void ps__darwin_cpu_ticks(const uint32_t ticks[4], ps_cputimes *out);

#endif /* PS_DARWIN_PARSE_H */
