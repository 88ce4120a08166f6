/* SPDX-License-Identifier: MIT */
/* Linux sensors: <sys>/class/hwmon, <sys>/class/thermal, <sys>/class/power_supply. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sys_common.h"
#include "../list.h"

static char *join(const char *a, const char *b)
{
    return ps__sys_concat(a, "/", b);
}

static bool read_double(const char *path, double *out)
{
    ps__buf b;
    ps__buf_init(&b);
    bool ok = ps__sys_read_abs(path, &b) == 0 && ps__sys_parse_double(b.data, b.len, out);
    ps__buf_dispose(&b);
    return ok;
}

/* A growable list of strings. */
typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static bool strv_add(strv *s, char *p)
{
    if (!p) return false;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], p)) {
            free(p);
            return true;
        }
    char **nv = ps__grow(s->v, &s->cap, s->n, sizeof *nv, 16);
    if (!nv) {
        free(p);
        return false;
    }
    s->v = nv;
    s->v[s->n++] = p;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect "<dir>/<prefix>N" bases (the file name up to its first '_') of files
 * "<prefix>*_*" in dir. */
static void collect_bases(const char *dir, const char *prefix, strv *out)
{
    char **names = NULL;
    size_t n = 0;
    if (ps__sys_list_dir(dir, prefix, &names, &n) != 0) return;
    for (size_t i = 0; i < n; i++) {
        const char *us = strchr(names[i], '_');
        if (!us) continue;
        names[i][us - names[i]] = '\0';
        strv_add(out, join(dir, names[i]));
    }
    ps__sys_names_free(names, n);
}

/* The hwmon directories (and their device/ subdirectories). */
static void hwmon_bases(const char *prefix, bool device_too, bool device_only_if_empty, strv *out)
{
    char *cls = ps__sys_path(PS_ROOT_SYS, "/class/hwmon");
    if (!cls) return;
    char **names = NULL;
    size_t n = 0;
    if (ps__sys_list_dir(cls, "hwmon", &names, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char *d = join(cls, names[i]);
            if (d) collect_bases(d, prefix, out);
            free(d);
        }
        if (device_too && (!device_only_if_empty || out->n == 0)) {
            for (size_t i = 0; i < n; i++) {
                char *d = join(cls, names[i]);
                char *dd = d ? join(d, "device") : NULL;
                if (dd) collect_bases(dd, prefix, out);
                free(dd);
                free(d);
            }
        }
    }
    ps__sys_names_free(names, n);
    free(cls);
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_str);
}

static char *suffixed(const char *base, const char *suffix)
{
    return ps__sys_concat(base, "", suffix);
}

static char *sibling(const char *base, const char *name)
{
    const char *slash = strrchr(base, '/');
    size_t dl = slash ? (size_t)(slash - base) : 0;
    char *p = malloc(dl + strlen(name) + 2);
    if (!p) return NULL;
    memcpy(p, base, dl);
    p[dl] = '/';
    strcpy(p + dl + 1, name);
    return p;
}

typedef struct sensv {
    ps__bk_sensor *v;
    size_t n, cap;
} sensv;

static int sensv_add(sensv *s, const ps__bk_sensor *x)
{
    ps__bk_sensor *nv = ps__grow(s->v, &s->cap, s->n, sizeof *nv, 16);
    if (!nv) return ps__error(PS_ENOMEM, 0, "sensors: out of memory");
    s->v = nv;
    s->v[s->n++] = *x;
    return 0;
}

static void sens_dispose(ps__bk_sensor *x)
{
    ps__nstr_dispose(&x->unit);
    ps__nstr_dispose(&x->label);
}

/* Order as psutil's dict: units in order of first appearance, entries in path order. */
static int group_by_unit(sensv *s, ps__bk_sensor **items, size_t *count)
{
    ps__bk_sensor *out = s->n ? malloc(s->n * sizeof *out) : NULL;
    bool *used = s->n ? calloc(s->n, sizeof *used) : NULL;
    if (s->n && (!out || !used)) {
        free(out);
        free(used);
        for (size_t i = 0; i < s->n; i++) sens_dispose(&s->v[i]);
        free(s->v);
        return ps__error(PS_ENOMEM, 0, "sensors: out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (used[i]) continue;
        for (size_t j = i; j < s->n; j++) {
            if (used[j]) continue;
            if (s->v[j].unit.len == s->v[i].unit.len &&
                !memcmp(s->v[j].unit.data, s->v[i].unit.data, s->v[i].unit.len)) {
                out[k++] = s->v[j];
                used[j] = true;
            }
        }
    }
    free(used);
    free(s->v);
    *items = out;
    *count = k;
    return 0;
}

static void free_strv(strv *s)
{
    ps__sys_names_free(s->v, s->n);
}

/* A hwmon sensor's value (temperatures in degrees C with their _max and _crit, fans in RPM),
 * its chip's name and its _label (or "") into x; false, x disposed, when the value or the name
 * cannot be read. */
static bool hwmon_sensor(const char *base, bool temp, ps__bk_sensor *x)
{
    memset(x, 0, sizeof *x);
    int64_t cur;
    char *pin = suffixed(base, "_input");
    char *pname = sibling(base, "name");
    bool ok = pin && pname && (temp ? read_double(pin, &x->current) : ps__sys_read_i64_file(pin, &cur)) &&
              ps__sys_read_nstr_file(pname, &x->unit);
    free(pin);
    free(pname);
    if (!ok) {
        sens_dispose(x);
        return false;
    }
    x->high = x->critical = NAN;
    if (temp) {
        x->current /= 1000.0;
        double v;
        char *p = suffixed(base, "_max");
        x->high = p && read_double(p, &v) ? v / 1000.0 : NAN;
        free(p);
        p = suffixed(base, "_crit");
        x->critical = p && read_double(p, &v) ? v / 1000.0 : NAN;
        free(p);
    } else {
        x->current = (double)cur;
    }
    char *p = suffixed(base, "_label");
    if (!p || !ps__sys_read_nstr_file(p, &x->label)) ps__sys_nstr_set(&x->label, "", 0);
    free(p);
    return true;
}

/* Every hwmon sensor of a kind ("temp", "fan") into res; *had: whether hwmon had any. */
static int hwmon_sensors(const char *prefix, bool temp, sensv *res, bool *had)
{
    strv bases = {0};
    int rc = 0;
    hwmon_bases(prefix, true, !temp, &bases);
    for (size_t i = 0; rc == 0 && i < bases.n; i++) {
        ps__bk_sensor x;
        if (!hwmon_sensor(bases.v[i], temp, &x)) continue;
        rc = sensv_add(res, &x);
        if (rc) sens_dispose(&x);
    }
    *had = bases.n > 0;
    free_strv(&bases);
    return rc;
}

/* psutil's fallback without hwmon temperatures: <sys>/class/thermal zones and their
 * high/critical trip points. */
static int thermal_zones(sensv *res)
{
    int rc = 0;
    char *cls = ps__sys_path(PS_ROOT_SYS, "/class/thermal");
    char **zones = NULL;
    size_t nz = 0;
    if (cls && ps__sys_list_dir(cls, "thermal_zone", &zones, &nz) == 0) {
        for (size_t i = 0; rc == 0 && i < nz; i++) {
            char *zd = join(cls, zones[i]);
            if (!zd) continue;
            ps__bk_sensor x;
            memset(&x, 0, sizeof x);
            char *pt = join(zd, "temp"), *pty = join(zd, "type");
            bool ok = pt && pty && read_double(pt, &x.current) && ps__sys_read_nstr_file(pty, &x.unit);
            free(pt);
            free(pty);
            if (!ok) {
                sens_dispose(&x);
                free(zd);
                continue;
            }
            x.current /= 1000.0;
            x.high = x.critical = NAN;
            ps__sys_nstr_set(&x.label, "", 0);
            char **trips = NULL;
            size_t nt = 0;
            if (ps__sys_list_dir(zd, "trip_point_", &trips, &nt) == 0) {
                for (size_t t = 0; t < nt; t++) {
                    size_t tl = strlen(trips[t]);
                    if (tl < 5 || strcmp(trips[t] + tl - 5, "_type")) continue;
                    char *tp = join(zd, trips[t]);
                    ps__nstr ty = {NULL, 0};
                    if (tp && ps__sys_read_nstr_file(tp, &ty)) {
                        bool crit = ty.len == 8 && !memcmp(ty.data, "critical", 8);
                        bool high = ty.len == 4 && !memcmp(ty.data, "high", 4);
                        if (crit || high) {
                            strcpy(tp + strlen(tp) - 5, "_temp");
                            double v;
                            if (read_double(tp, &v)) {
                                if (crit) x.critical = v / 1000.0;
                                else x.high = v / 1000.0;
                            }
                        }
                    }
                    ps__nstr_dispose(&ty);
                    free(tp);
                }
                ps__sys_names_free(trips, nt);
            }
            rc = sensv_add(res, &x);
            if (rc) sens_dispose(&x);
            free(zd);
        }
        ps__sys_names_free(zones, nz);
    }
    free(cls);
    return rc;
}

/* The list of res (rc 0, grouped by unit) or rc (res freed). */
static int sensors_result(sensv *res, int rc, ps__bk_sensor **items, size_t *count)
{
    if (rc) {
        for (size_t i = 0; i < res->n; i++) sens_dispose(&res->v[i]);
        free(res->v);
        return rc;
    }
    return group_by_unit(res, items, count);
}

int ps__bk_temperatures(ps__bk_sensor **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    sensv res = {0};
    bool had_hwmon;
    int rc = hwmon_sensors("temp", true, &res, &had_hwmon);
    if (rc == 0 && !had_hwmon) rc = thermal_zones(&res);
    return sensors_result(&res, rc, items, count);
}

int ps__bk_fans(ps__bk_sensor **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    sensv res = {0};
    bool had_hwmon;
    int rc = hwmon_sensors("fan", false, &res, &had_hwmon);
    return sensors_result(&res, rc, items, count);
}

/* psutil's multi_bcat: the first of two files that exists, as an integer; present = whether
 * one existed and held an integer. */
static bool read_first_i64(const char *dir, const char *a, const char *b, int64_t *out)
{
    const char *names[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (!names[i]) continue;
        char *p = join(dir, names[i]);
        if (!p) continue;
        bool exists = ps__sys_path_exists(p);
        bool ok = exists && ps__sys_read_i64_file(p, out);
        free(p);
        if (exists) return ok;
    }
    return false;
}

int ps__bk_battery(ps_battery *out)
{
    char *ps = ps__sys_path(PS_ROOT_SYS, "/class/power_supply");
    if (!ps) return ps__error(PS_ENOMEM, 0, "battery: out of memory");
    char **names = NULL;
    size_t n = 0;
    if (ps__sys_list_dir(ps, NULL, &names, &n) != 0) {
        free(ps);
        return 0; /* no power_supply class: no battery */
    }
    const char *bat = NULL;
    for (size_t i = 0; i < n && !bat; i++) { /* names are sorted: the first match is psutil's */
        if (!strncmp(names[i], "BAT", 3) || strcasestr(names[i], "battery")) bat = names[i];
    }
    if (!bat) {
        ps__sys_names_free(names, n);
        free(ps);
        return 0;
    }
    char *root = join(ps, bat);
    ps__sys_names_free(names, n);
    if (!root) {
        free(ps);
        return ps__error(PS_ENOMEM, 0, "battery: out of memory");
    }
    int64_t energy_now, power_now, energy_full, tte;
    bool h_now = read_first_i64(root, "energy_now", "charge_now", &energy_now);
    bool h_pow = read_first_i64(root, "power_now", "current_now", &power_now);
    bool h_full = read_first_i64(root, "energy_full", "charge_full", &energy_full);
    bool h_tte = read_first_i64(root, "time_to_empty_now", NULL, &tte);
    double percent;
    if (h_now && h_full) {
        percent = energy_full == 0 ? 0.0 : 100.0 * (double)energy_now / (double)energy_full;
    } else {
        int64_t cap;
        if (!read_first_i64(root, "capacity", NULL, &cap) || cap == -1) {
            free(root);
            free(ps);
            return 0;
        }
        percent = (double)cap;
    }
    int plugged = -1;
    int64_t online;
    bool h_online = read_first_i64(ps, "AC0/online", "AC/online", &online);
    if (h_online) {
        plugged = online == 1;
    } else {
        char *sp = join(root, "status");
        ps__nstr st = {NULL, 0};
        if (sp && ps__sys_read_nstr_file(sp, &st)) {
            if (st.len == 11 && !strncasecmp(st.data, "discharging", 11)) plugged = 0;
            else if ((st.len == 8 && !strncasecmp(st.data, "charging", 8)) ||
                     (st.len == 4 && !strncasecmp(st.data, "full", 4)))
                plugged = 1;
        }
        ps__nstr_dispose(&st);
        free(sp);
    }
    int64_t secsleft;
    if (plugged == 1) {
        secsleft = PS_POWER_TIME_UNLIMITED;
    } else if (h_now && h_pow) {
        secsleft = power_now == 0 ? PS_POWER_TIME_UNKNOWN
                                  : (int64_t)((double)energy_now / (double)power_now * 3600);
    } else if (h_tte) {
        secsleft = tte * 60;
        if (secsleft < 0) secsleft = PS_POWER_TIME_UNKNOWN;
    } else {
        secsleft = PS_POWER_TIME_UNKNOWN;
    }
    out->present = 1;
    out->percent = percent;
    out->secsleft = secsleft;
    out->power_plugged = plugged >= 0 ? plugged : PS_UNKNOWN_I32;
    free(root);
    free(ps);
    return 0;
}
