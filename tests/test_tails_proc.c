/* SPDX-License-Identifier: MIT */
/*
 * Reserved tails of the process, table, wait and scanner structs (docs/abi.md): `reserved` is
 * the last member of each, and every struct the library fills reads zero there, even when the
 * caller's memory held a pattern before the call.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "psinfo.h"

#define LAST(T) _Static_assert(offsetof(T, reserved) + sizeof(((T *)0)->reserved) == sizeof(T), \
                               #T ": reserved is not the last member")
LAST(ps_proc_cputimes);
LAST(ps_proc_mem);
LAST(ps_proc_mem_ex);
LAST(ps_proc_footprint);
LAST(ps_proc_fullmem);
LAST(ps_proc_ids);
LAST(ps_proc_ctxsw);
LAST(ps_proc_io);
LAST(ps_proc_pagefaults);
LAST(ps_proc_str_list);
LAST(ps_proc_env_var);
LAST(ps_proc_environ_list);
LAST(ps_proc_list);
LAST(ps_proc_cpu_sample);
LAST(ps_proc_cpu_list);
LAST(ps_proc_mmap);
LAST(ps_proc_mmap_list);
LAST(ps_proc_thread);
LAST(ps_proc_thread_list);
LAST(ps_proc_open_file);
LAST(ps_proc_open_file_list);
LAST(ps_pid_list);
LAST(ps_ptable_record);
LAST(ps_ptable);
LAST(ps_wait_result);
LAST(ps_wait_status);
LAST(ps_scan);
LAST(ps_scanner_stats);

/* The sizes docs/abi.md gives (in 8-byte slots). */
#define SLOTS(T, n) _Static_assert(sizeof(((T *)0)->reserved) == (n) * 8, #T ": tail size")
SLOTS(ps_proc_ids, 2);
SLOTS(ps_proc_ctxsw, 2);
SLOTS(ps_proc_pagefaults, 2);
SLOTS(ps_proc_cpu_sample, 2);
SLOTS(ps_proc_list, 2);
SLOTS(ps_pid_list, 2);
SLOTS(ps_proc_thread, 4);
SLOTS(ps_proc_cputimes, 8);
SLOTS(ps_proc_mem, 8);
/* ps_proc_io: 8 slots, 2 since taken by other_count and other_bytes (Windows); same size */
SLOTS(ps_proc_io, 6);
_Static_assert(sizeof(ps_proc_io) == 14 * 8, "ps_proc_io: size unchanged by its new fields");
SLOTS(ps_wait_result, 8);
SLOTS(ps_proc_fullmem, 16);
/* ps_ptable_record: 16 slots, 1 since taken by num_handles (Windows); same size */
SLOTS(ps_ptable_record, 15);
_Static_assert(sizeof(void *) != 8 || sizeof(ps_ptable_record) == 768, "ps_ptable_record: size unchanged by num_handles");

/* Every slot of x.reserved is zero. */
#define TAIL_ZERO(x)                                                                       \
    do {                                                                                   \
        for (size_t i_ = 0; i_ < sizeof (x).reserved / sizeof (x).reserved[0]; i_++)       \
            cr_expect_eq((x).reserved[i_], 0, "%s.reserved[%zu] = 0x%llx", #x, i_,         \
                         (unsigned long long)(x).reserved[i_]);                            \
    } while (0)

/* A pattern in the caller's memory, so a tail left alone by the library shows. */
#define DIRTY(x) memset(&(x), 0xA5, sizeof (x))

static ps_proc *self(void)
{
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open_self(&p), 0);
    return p;
}

Test(tails, value_getters)
{
    ps_proc *p = self();
    ps_proc_cputimes ct;
    ps_proc_mem m;
    ps_proc_mem_ex mx;
    ps_proc_footprint fp;
    ps_proc_fullmem fm;
    ps_proc_ids u, g;
    ps_proc_ctxsw cs;
    ps_proc_io io;
    ps_proc_pagefaults pf;
    ps_proc_cpu_sample smp;
    DIRTY(ct), DIRTY(m), DIRTY(mx), DIRTY(fp), DIRTY(fm), DIRTY(u), DIRTY(g), DIRTY(cs);
    DIRTY(io), DIRTY(pf), DIRTY(smp);
    cr_assert_eq(ps_proc_cpu_times(p, &ct), 0);
    cr_assert_eq(ps_proc_memory_info(p, &m), 0);
    cr_assert_eq(ps_proc_memory_info_ex(p, &mx), 0);
    cr_assert_eq(ps_proc_memory_footprint(p, &fp), 0);
    cr_assert_eq(ps_proc_memory_full_info(p, &fm), 0);
    cr_assert_eq(ps_proc_uids(p, &u), 0);
    cr_assert_eq(ps_proc_gids(p, &g), 0);
    cr_assert_eq(ps_proc_num_ctx_switches(p, &cs), 0);
    cr_assert_eq(ps_proc_io_counters(p, &io), 0);
    cr_assert_eq(ps_proc_page_faults(p, &pf), 0);
    cr_assert_eq(ps_proc_cpu_sample_take(p, &smp), 0);
    TAIL_ZERO(ct);
    TAIL_ZERO(m);
    TAIL_ZERO(mx);
    TAIL_ZERO(fp);
    TAIL_ZERO(fm);
    TAIL_ZERO(u);
    TAIL_ZERO(g);
    TAIL_ZERO(cs);
    TAIL_ZERO(io);
    TAIL_ZERO(pf);
    TAIL_ZERO(smp);
    /* the fields themselves were written: the pattern is gone from the data too */
    cr_expect_eq(u.real, (int64_t)getuid());
    cr_expect_gt(m.rss, 0);
    ps_proc_free(p);
}

Test(tails, lists)
{
    ps_proc *p = self();
    int fd = open("/proc/self/stat", O_RDONLY);   /* one regular file for open_files */
    cr_assert_geq(fd, 0);

    ps_proc_str_list *sl = NULL;
    cr_assert_eq(ps_proc_cmdline(p, &sl), 0);
    TAIL_ZERO(*sl);
    ps_proc_str_list_free(sl);
    cr_assert_eq(ps_proc_cgroup(p, &sl), 0);
    TAIL_ZERO(*sl);
    ps_proc_str_list_free(sl);

    ps_proc_environ_list *el = NULL;
    cr_assert_eq(setenv("PSINFO_TAILS", "1", 1), 0);
    cr_assert_eq(ps_proc_environ(p, &el), 0);
    TAIL_ZERO(*el);
    cr_assert_gt(el->count, 0);
    for (size_t i = 0; i < el->count; i++) TAIL_ZERO(el->items[i]);
    ps_proc_environ_list_free(el);

    ps_proc_cpu_list *cl = NULL;
    cr_assert_eq(ps_proc_cpu_affinity(p, &cl), 0);
    TAIL_ZERO(*cl);
    ps_proc_cpu_list_free(cl);

    ps_proc_list *pl = NULL;
    cr_assert_eq(ps_proc_parents(p, &pl), 0);
    TAIL_ZERO(*pl);
    ps_proc_list_free(pl);
    cr_assert_eq(ps_proc_children(p, 1, &pl), 0);
    TAIL_ZERO(*pl);
    ps_proc_list_free(pl);

    for (int grouped = 0; grouped < 2; grouped++) {
        ps_proc_mmap_list *ml = NULL;
        cr_assert_eq(ps_proc_memory_maps(p, grouped, &ml), 0);
        TAIL_ZERO(*ml);
        cr_assert_gt(ml->count, 0);
        for (size_t i = 0; i < ml->count; i++) TAIL_ZERO(ml->items[i]);
        ps_proc_mmap_list_free(ml);
    }

    ps_proc_thread_list *tl = NULL;
    cr_assert_eq(ps_proc_threads(p, &tl), 0);
    TAIL_ZERO(*tl);
    cr_assert_gt(tl->count, 0);
    for (size_t i = 0; i < tl->count; i++) TAIL_ZERO(tl->items[i]);
    ps_proc_thread_list_free(tl);

    ps_proc_open_file_list *ol = NULL;
    cr_assert_eq(ps_proc_open_files(p, &ol), 0);
    TAIL_ZERO(*ol);
    cr_assert_gt(ol->count, 0);
    for (size_t i = 0; i < ol->count; i++) TAIL_ZERO(ol->items[i]);
    ps_proc_open_file_list_free(ol);

    ps_pid_list *pids = NULL;
    cr_assert_eq(ps_pids(&pids), 0);
    TAIL_ZERO(*pids);
    ps_pid_list_free(pids);

    close(fd);
    ps_proc_free(p);
}

static void check_record(const ps_ptable_record *r)
{
    TAIL_ZERO(*r);
    cr_expect_eq(r->pad_0, 0);
    TAIL_ZERO(r->uids);
    TAIL_ZERO(r->gids);
    TAIL_ZERO(r->cpu_times);
    TAIL_ZERO(r->memory_info);
    TAIL_ZERO(r->num_ctx_switches);
    TAIL_ZERO(r->io_counters);
    TAIL_ZERO(r->page_faults);
}

Test(tails, table_records)
{
    ps_ptable *t = NULL;
    cr_assert_eq(ps_ptable_scan(PS_PT_ALL, PS_PT_KEEP_PARTIAL, &t), 0);
    TAIL_ZERO(*t);
    cr_assert_gt(t->count, 1);
    for (size_t i = 0; i < t->count; i++) check_record(&t->records[i]);
    ps_ptable_free(t);

    ps_proc *p = self();
    cr_assert_eq(ps_proc_snapshot(p, PS_PT_ALL, &t), 0);
    TAIL_ZERO(*t);
    cr_assert_eq(t->count, 1);
    check_record(&t->records[0]);
    ps_ptable_free(t);
    ps_proc_free(p);
}

static ps_proc *child_exiting(int code)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        usleep(20000);
        _exit(code);
    }
    ps_proc *p = NULL;
    cr_assert_eq(ps_proc_open(pid, &p), 0);
    return p;
}

Test(tails, wait_results)
{
    ps_proc *p = child_exiting(3);
    ps_wait_result r;
    DIRTY(r);
    cr_assert_eq(ps_proc_wait(p, 10.0, &r), 0);
    cr_expect_eq(r.kind, PS_WAIT_EXITED);
    cr_expect_eq(r.code, 3);
    cr_expect_eq(r.pad_0, 0);
    TAIL_ZERO(r);
    DIRTY(r);   /* the remembered result */
    cr_assert_eq(ps_proc_wait(p, 0, &r), 0);
    cr_expect_eq(r.cached, 1);
    cr_expect_eq(r.pad_0, 0);
    TAIL_ZERO(r);
    ps_proc_free(p);

    ps_proc *procs[2] = {child_exiting(4), child_exiting(5)};
    ps_wait_status st[2];
    DIRTY(st);
    size_t done = 0;
    cr_assert_eq(ps_proc_wait_many(procs, 2, 10.0, PS_WAIT_ALL, st, &done), 0);
    cr_expect_eq(done, 2);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(st[i].done, 1);
        cr_expect_eq(st[i].result.code, 4 + i);
        cr_expect_eq(st[i].result.pad_0, 0);
        TAIL_ZERO(st[i]);
        TAIL_ZERO(st[i].result);
        ps_proc_free(procs[i]);
    }
}

Test(tails, scanner)
{
    ps_scanner *s = NULL;
    cr_assert_eq(ps_scanner_new(PS_PT_BIT(PS_PT_NAME), 0, &s), 0);
    for (int k = 0; k < 2; k++) {
        ps_scan *sc = NULL;
        cr_assert_eq(ps_scanner_scan(s, &sc), 0);
        TAIL_ZERO(*sc);
        TAIL_ZERO(*sc->table);
        for (size_t i = 0; i < sc->table->count; i++) check_record(&sc->table->records[i]);
        ps_scan_free(sc);
    }
    ps_scanner_stats st;
    DIRTY(st);
    cr_assert_eq(ps_scanner_stats_get(s, &st), 0);
    TAIL_ZERO(st);
    ps_scanner_free(s);
}
