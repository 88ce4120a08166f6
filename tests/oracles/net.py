#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""psutil as the oracle for tests/test_net*.c: prints psutil's network answers one record a
line, every string as the hex of its UTF-8 bytes with surrogates passed through (what the
library returns under PS_ERRORS_SURROGATEESCAPE), '-' for None or ().

usage: oracles/net.py addrs | stats | io | conns KIND [PID]
"""
import socket
import sys

import psutil


def h(s):
    if s is None or s == ():
        return '-'
    return 'x' + s.encode('utf-8', 'surrogatepass').hex()


FAM = {socket.AF_INET: 1, socket.AF_INET6: 2, psutil.AF_LINK: 3, socket.AF_UNIX: 4}


def main():
    what = sys.argv[1]
    if what == 'addrs':
        for nic, addrs in psutil.net_if_addrs().items():
            for a in addrs:
                print(h(nic), FAM[a.family], h(a.address), h(a.netmask), h(a.broadcast), h(a.ptp))
    elif what == 'stats':
        for nic, s in psutil.net_if_stats().items():
            print(h(nic), int(s.isup), int(s.duplex), s.speed, s.mtu, h(s.flags))
    elif what == 'io':
        for nic, c in psutil.net_io_counters(pernic=True, nowrap=False).items():
            print(h(nic), c.bytes_sent, c.bytes_recv, c.packets_sent, c.packets_recv,
                  c.errin, c.errout, c.dropin, c.dropout)
    elif what == 'conns':
        kind = sys.argv[2]
        if len(sys.argv) > 3:
            conns = psutil.Process(int(sys.argv[3])).connections(kind)
            pid = int(sys.argv[3])
        else:
            conns = psutil.net_connections(kind)
            pid = None
        for c in conns:
            p = getattr(c, 'pid', pid)
            if c.family == socket.AF_UNIX:
                l, r = h(c.laddr), '-'
            else:
                l = '-' if not c.laddr else '%s:%d' % (h(c.laddr.ip), c.laddr.port)
                r = '-' if not c.raddr else '%s:%d' % (h(c.raddr.ip), c.raddr.port)
            print(c.fd, FAM[c.family], int(c.type), l, r, c.status, -1 if p is None else p)
    else:
        sys.exit('unknown request')


main()
