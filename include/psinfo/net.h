/* SPDX-License-Identifier: MIT */
/**
 * @file psinfo/net.h
 * @brief Network information: I/O counters, interface addresses and state, and sockets with
 * their owning process.
 *
 * psutil's net_io_counters, net_if_addrs, net_if_stats, net_connections and
 * Process.connections. See docs/net.md for every difference from psutil.
 *
 * Common rules:
 *  - every function returns 0 or a negative PS_E* code; PS_EINVAL for a NULL out-pointer or
 *    a value outside an enum;
 *  - each list is one allocated object freed by exactly one *_free function (NULL is a
 *    no-op); every string inside (NIC names, addresses, UNIX socket paths, flag lists) went
 *    through the library's one decoder under the process-wide policy (ps_set_errors_policy),
 *    so a NIC name or socket path with invalid UTF-8 comes back surrogate-escaped (or with
 *    U+FFFD under PS_ERRORS_REPLACE) and never makes a call fail;
 *  - on Linux the /proc readers honour ps_set_root(PS_ROOT_PROC, ...) (fixture trees, a
 *    container's /proc); getifaddrs(3) and the interface ioctls always ask the running kernel;
 *  - nothing is cached between calls (no psutil "nowrap" state: counters are the kernel's);
 *  - a platform that cannot answer returns PS_ENOTSUP;
 *  - every function is thread-safe.
 */
#ifndef PSINFO_NET_H
#define PSINFO_NET_H

#include "common.h"
#include "proc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Address families, with the library's own values (not the OS's AF_* numbers). */
typedef enum ps_net_family {
    PS_NET_AF_UNSPEC = 0,  /**< not an address (unused in results) */
    PS_NET_AF_INET = 1,    /**< IPv4 (socket.AF_INET) */
    PS_NET_AF_INET6 = 2,   /**< IPv6 (socket.AF_INET6) */
    PS_NET_AF_LINK = 3,    /**< a link-layer (MAC) address (psutil.AF_LINK; AF_PACKET on Linux) */
    PS_NET_AF_UNIX = 4     /**< a UNIX domain socket (socket.AF_UNIX) */
} ps_net_family;

/** Socket types, with the library's own values (they happen to equal Linux's). */
typedef enum ps_sock_type {
    PS_SOCK_UNKNOWN = 0,   /**< a type the library does not know */
    PS_SOCK_STREAM = 1,    /**< SOCK_STREAM (TCP, stream UNIX sockets) */
    PS_SOCK_DGRAM = 2,     /**< SOCK_DGRAM (UDP, datagram UNIX sockets) */
    PS_SOCK_RAW = 3,       /**< SOCK_RAW */
    PS_SOCK_RDM = 4,       /**< SOCK_RDM */
    PS_SOCK_SEQPACKET = 5  /**< SOCK_SEQPACKET */
} ps_sock_type;

/* ================================= I/O counters ========================================= */

/** Counters of one NIC, or their sum (psutil snetio). All wrap modulo 2^64 as the kernel's. */
typedef struct ps_netio {
    uint64_t bytes_sent;    /**< bytes sent */
    uint64_t bytes_recv;    /**< bytes received */
    uint64_t packets_sent;  /**< packets sent */
    uint64_t packets_recv;  /**< packets received */
    uint64_t errin;         /**< receive errors */
    uint64_t errout;        /**< transmit errors */
    uint64_t dropin;        /**< incoming packets dropped */
    uint64_t dropout;       /**< outgoing packets dropped; PS_UNKNOWN_U64 where the OS does not
                                 count them (macOS; psutil 0), also in the totals */
    uint64_t reserved[8];   /**< room for later fields; zero-filled by the library (docs/abi.md) */
} ps_netio;

/** The counters of one NIC. */
typedef struct ps_netio_entry {
    char *name;             /**< the NIC name (decoded), owned by the list */
    ps_netio counters;      /**< its counters */
    uint64_t reserved[4];   /**< room for later fields; zero-filled by the library */
} ps_netio_entry;

/** Per-NIC counters in the order the OS lists the NICs; freed with ps_netio_list_free(). */
typedef struct ps_netio_list {
    size_t count;           /**< number of items */
    ps_netio_entry *items;  /**< count entries */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_netio_list;

/**
 * Counters of every NIC (psutil net_io_counters(pernic=True)). Linux: `<proc>/net/dev`; the
 * first two lines are headers; a NIC name is everything before the last ':' of a line, with
 * blanks trimmed; unknown extra columns of newer kernels are ignored. Values up to 2^64 - 1 are
 * exact.
 * @param[out] out receives a list owned by the caller, freed with ps_netio_list_free().
 * @return 0, or PS_EINVAL (out NULL), PS_ENOENT (no `net/dev` under the root), PS_EPARSE (a
 *         line with fewer than the 16 classic columns, or a column that is not a decimal
 *         number: psutil raises too), PS_ENOMEM, PS_ENOTSUP.
 */
PS_EXTERN int ps_net_io_counters_pernic(ps_netio_list **out);
/**
 * The sum over every NIC (psutil net_io_counters()), modulo 2^64 (psutil's Python integers do
 * not wrap; the sum of counters near 2^64 therefore differs).
 * @param[out] out receives the sums (caller's storage).
 * @return 0, or the codes of ps_net_io_counters_pernic().
 */
PS_EXTERN int ps_net_io_counters(ps_netio *out);
/**
 * Free a list from ps_net_io_counters_pernic(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_netio_list_free(ps_netio_list *list);

/* ================================= addresses ============================================ */

/**
 * One address of one NIC (psutil snicaddr plus the NIC's name). Absent values are NULL
 * (psutil None). Strings are owned by the list.
 */
typedef struct ps_nic_addr {
    char *nic;             /**< the NIC name (decoded) */
    int32_t family;        /**< a ps_net_family: PS_NET_AF_INET, PS_NET_AF_INET6 or PS_NET_AF_LINK */
    int32_t pad0;          /**< zero */
    char *address;         /**< "192.168.1.2", "fe80::1%eth0" (scope as getnameinfo gives it),
                                "aa:bb:cc:dd:ee:ff" (MACs shorter than 6 octets padded with
                                ":00" as psutil; on Windows psutil's "AA-BB-CC-DD-EE-FF", padded
                                with "-00", and IPv6 without a scope) — never NULL */
    char *netmask;         /**< "255.255.255.0", "ffff:ffff:ffff:ffff::"; NULL for MACs */
    char *broadcast;       /**< set when the NIC has IFF_BROADCAST and the OS gives one, else NULL */
    char *ptp;             /**< point-to-point destination (IFF_POINTOPOINT), else NULL */
    uint64_t reserved[4];  /**< room for later fields; zero-filled by the library */
} ps_nic_addr;

/**
 * Addresses grouped by NIC in psutil's dict order: psutil sorts the getifaddrs(3) entries by
 * the OS family number (stable), so within a NIC IPv4 comes before IPv6 before the MAC, and
 * NICs appear in the order of their first address in that sorted sequence. Freed with
 * ps_nic_addr_list_free().
 */
typedef struct ps_nic_addr_list {
    size_t count;           /**< number of items */
    ps_nic_addr *items;     /**< count addresses */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_nic_addr_list;

/**
 * Every address of every NIC (psutil net_if_addrs). Entries whose address cannot be
 * formatted (or a MAC of length 0) are skipped, as psutil does.
 * @param[out] out receives a list owned by the caller, freed with ps_nic_addr_list_free().
 * @return 0, or PS_EINVAL (out NULL), PS_ENOMEM, PS_EIO (getifaddrs failed), PS_ENOTSUP.
 */
PS_EXTERN int ps_net_if_addrs(ps_nic_addr_list **out);
/**
 * Free a list from ps_net_if_addrs(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_nic_addr_list_free(ps_nic_addr_list *list);

/* ================================= interface state ====================================== */

/** Duplex (psutil NIC_DUPLEX_*, same values). */
typedef enum ps_nic_duplex {
    PS_NIC_DUPLEX_UNKNOWN = 0,  /**< the driver does not say (psutil NIC_DUPLEX_UNKNOWN) */
    PS_NIC_DUPLEX_HALF = 1,     /**< half duplex */
    PS_NIC_DUPLEX_FULL = 2      /**< full duplex */
} ps_nic_duplex;

/** State of one NIC (psutil snicstats plus the name). Strings are owned by the list. */
typedef struct ps_nic_stats {
    char *nic;             /**< the NIC name (decoded) */
    int32_t isup;          /**< 1 when the flags include "running" (psutil 5.9's rule), else 0 */
    int32_t duplex;        /**< a ps_nic_duplex, from the ethtool ioctl; PS_NIC_DUPLEX_UNKNOWN
                                when the driver does not say (psutil's own value for it) */
    int64_t speed;         /**< Mbit/s; PS_UNKNOWN_I64 when the driver does not say (psutil 0) */
    int64_t mtu;           /**< bytes */
    char *flags;           /**< comma-separated, in psutil's order: "up,broadcast,running,multicast" */
    uint64_t reserved[8];  /**< room for later fields; zero-filled by the library */
} ps_nic_stats;

/** The state of every NIC; freed with ps_nic_stats_list_free(). */
typedef struct ps_nic_stats_list {
    size_t count;           /**< number of items */
    ps_nic_stats *items;    /**< count NICs */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_nic_stats_list;

/**
 * State of every NIC (psutil net_if_stats). Linux: the names of `<proc>/net/dev` (as psutil),
 * then ioctl SIOCGIFMTU, SIOCGIFFLAGS and SIOCETHTOOL (ETHTOOL_GSET) on the running kernel; a
 * NIC that vanished meanwhile (ENODEV/ENXIO), or whose name the kernel cannot hold, is left
 * out, as psutil does.
 * @param[out] out receives a list owned by the caller, freed with ps_nic_stats_list_free().
 * @return 0, or PS_EINVAL (out NULL), PS_ENOENT, PS_EPARSE (`net/dev`), PS_EMFILE, PS_ENOMEM,
 *         PS_EIO (an unexpected ioctl error), PS_ENOTSUP.
 */
PS_EXTERN int ps_net_if_stats(ps_nic_stats_list **out);
/**
 * Free a list from ps_net_if_stats(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_nic_stats_list_free(ps_nic_stats_list *list);

/* ================================= connections ========================================== */

/** Which sockets to list (psutil's kind strings, same meaning). */
typedef enum ps_conn_kind {
    PS_CONN_KIND_INET = 0,   /**< "inet": tcp4, tcp6, udp4, udp6 (psutil's default) */
    PS_CONN_KIND_INET4 = 1,  /**< "inet4": tcp4, udp4 */
    PS_CONN_KIND_INET6 = 2,  /**< "inet6": tcp6, udp6 */
    PS_CONN_KIND_TCP = 3,    /**< "tcp": tcp4, tcp6 */
    PS_CONN_KIND_TCP4 = 4,   /**< "tcp4" */
    PS_CONN_KIND_TCP6 = 5,   /**< "tcp6" */
    PS_CONN_KIND_UDP = 6,    /**< "udp": udp4, udp6 */
    PS_CONN_KIND_UDP4 = 7,   /**< "udp4" */
    PS_CONN_KIND_UDP6 = 8,   /**< "udp6" */
    PS_CONN_KIND_UNIX = 9,   /**< "unix" */
    PS_CONN_KIND_ALL = 10    /**< "all": every one of the above */
} ps_conn_kind;

/**
 * Parse psutil's kind string ("inet", "tcp6", "all", ...).
 * @param[in] name NUL-terminated ASCII.
 * @param[out] out receives the ps_conn_kind value.
 * @return 0, or PS_EINVAL for NULL arguments or an unknown name.
 */
PS_EXTERN int ps_conn_kind_from_name(const char *name, int32_t *out);
/**
 * The name of a kind.
 * @param kind a ps_conn_kind value.
 * @return psutil's string ("inet", ...), static; NULL for a value outside the enum.
 */
PS_EXTERN const char *ps_conn_kind_name(ps_conn_kind kind);

/** Socket status (psutil CONN_*; TCP states, NONE for UDP and UNIX sockets). */
typedef enum ps_conn_status {
    PS_CONN_NONE = 0,         /**< not TCP (psutil CONN_NONE) */
    PS_CONN_ESTABLISHED = 1,  /**< TCP ESTABLISHED */
    PS_CONN_SYN_SENT = 2,     /**< TCP SYN_SENT */
    PS_CONN_SYN_RECV = 3,     /**< TCP SYN_RECV */
    PS_CONN_FIN_WAIT1 = 4,    /**< TCP FIN_WAIT1 */
    PS_CONN_FIN_WAIT2 = 5,    /**< TCP FIN_WAIT2 */
    PS_CONN_TIME_WAIT = 6,    /**< TCP TIME_WAIT */
    PS_CONN_CLOSE = 7,        /**< TCP CLOSE */
    PS_CONN_CLOSE_WAIT = 8,   /**< TCP CLOSE_WAIT */
    PS_CONN_LAST_ACK = 9,     /**< TCP LAST_ACK */
    PS_CONN_LISTEN = 10,      /**< TCP LISTEN */
    PS_CONN_CLOSING = 11,     /**< TCP CLOSING */
    PS_CONN_DELETE_TCB = 12,  /**< Windows only */
    PS_CONN_IDLE = 13,        /**< SunOS only */
    PS_CONN_BOUND = 14        /**< SunOS only */
} ps_conn_status;

/**
 * The name of a status.
 * @param status a ps_conn_status value.
 * @return psutil's string ("ESTABLISHED", "LISTEN", "NONE", ...), static; NULL outside the enum.
 */
PS_EXTERN const char *ps_conn_status_name(ps_conn_status status);

/** An IP endpoint. ip is NULL where this platform's psutil gives (): on Linux when the port is
 *  0; on Windows when the port is 0 and the address all zeros; on macOS for a remote port of 0
 *  (the local end always has an ip there). */
typedef struct ps_net_endpoint {
    char *ip;              /**< "127.0.0.1", "::1", "::ffff:10.0.0.1" (inet_ntop's form) or NULL;
                                owned by the list */
    int32_t port;          /**< 0..65535 */
    int32_t pad0;          /**< zero */
    uint64_t reserved[2];  /**< room for later fields; zero-filled by the library */
} ps_net_endpoint;

/** One socket (psutil sconn / pconn). Strings are owned by the list. */
typedef struct ps_connection {
    int64_t fd;            /**< the owner's file descriptor; PS_UNKNOWN_I64 when no visible
                                process holds it (psutil -1) */
    int32_t family;        /**< a ps_net_family: PS_NET_AF_INET, PS_NET_AF_INET6 or PS_NET_AF_UNIX */
    int32_t type;          /**< a ps_sock_type: PS_SOCK_STREAM for tcp, PS_SOCK_DGRAM for udp,
                                any for unix */
    ps_net_endpoint laddr; /**< local endpoint (inet only; ip NULL for UNIX sockets) */
    ps_net_endpoint raddr; /**< remote endpoint (inet only; ip NULL when not connected) */
    char *path;            /**< UNIX sockets: the bound path ("" when unbound; abstract names
                                start with '@', NULs shown as '@', as the kernel prints them);
                                NULL for inet sockets */
    int32_t status;        /**< a ps_conn_status: the TCP state; PS_CONN_NONE for udp and unix */
    int32_t pad0;          /**< zero */
    int64_t pid;           /**< the owning process; PS_UNKNOWN_I64 when no visible process holds
                                it (psutil None) */
    uint64_t inode;        /**< the socket's inode number (not in psutil); PS_UNKNOWN_U64 where
                                the platform has none (Windows) */
    uint64_t reserved[8];  /**< room for later fields; zero-filled by the library */
} ps_connection;

/** A list of sockets; freed with ps_connection_list_free(). */
typedef struct ps_connection_list {
    size_t count;           /**< number of items */
    ps_connection *items;   /**< count sockets */
    uint64_t reserved[2];   /**< room for later fields; zero-filled by the library */
} ps_connection_list;

/**
 * Every socket of the given kind (psutil net_connections(kind)). Linux: `<proc>/net/tcp`,
 * tcp6, udp, udp6 and unix (a missing *6 file means no IPv6: nothing listed for it), or the
 * sock_diag netlink dumps of the same tables, joined with an inode → (pid, fd) map read from
 * `<proc>/<pid>/fd/` for every process. Like psutil: when several processes hold one socket
 * the highest pid is named, with its first fd (inet) or one entry per fd (unix); sockets no
 * readable process holds (non-root, TIME_WAIT) have pid and fd PS_UNKNOWN_I64. Unlike psutil,
 * rows come in file order and are not collapsed into a set, and UNIX paths with blanks are
 * kept whole (psutil gives ""). Windows: the four GetExtended{Tcp,Udp}Table tables in order,
 * rows equal in psutil's tuple (fd, family, type, laddr, raddr, status, pid) listed once, the
 * first kept (psutil's set).
 * @param kind which sockets (ps_conn_kind).
 * @param[out] out receives a list owned by the caller, freed with ps_connection_list_free().
 * @return 0, or PS_EINVAL (out NULL, a kind outside the enum), PS_ENOENT (a table that must
 *         exist is missing), PS_EPARSE (a malformed table line), PS_EMFILE, PS_ENOMEM,
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_net_connections(ps_conn_kind kind, ps_connection_list **out);

/**
 * The sockets of one process (psutil Process.connections(kind)): the same rows restricted to
 * the sockets whose inodes appear among the process's fds, each with pid set to the process.
 * Linux reads the tables of the process's own network namespace (`<proc>/<pid>/net/`) through
 * the handle (psutil reads the caller's). Windows: the rows the process's PID owns, equal rows
 * listed once as in ps_net_connections().
 * @param proc an open handle (borrowed).
 * @param kind which sockets (ps_conn_kind).
 * @param[out] out receives a list owned by the caller, freed with ps_connection_list_free().
 * @return 0, or PS_EINVAL (NULL arguments, a kind outside the enum), PS_ENOPROC when the
 *         process is gone, PS_EACCES when its fds cannot be read, PS_EPARSE, PS_ENOMEM,
 *         PS_ENOTSUP.
 */
PS_EXTERN int ps_proc_net_connections(ps_proc *proc, ps_conn_kind kind,
                                      ps_connection_list **out);
/**
 * Free a list from ps_net_connections() or ps_proc_net_connections(), its items and strings.
 * @param list the list; NULL is a no-op.
 */
PS_EXTERN void ps_connection_list_free(ps_connection_list *list);

#ifdef __cplusplus
}
#endif

#endif /* PSINFO_NET_H */
