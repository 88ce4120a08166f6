/* SPDX-License-Identifier: MIT */
/*
 * macOS disk I/O counters and the battery from IOKit, as psutil reads them. Disks: every
 * IOMedia object whose parent in the IOService plane is an IOBlockStorageDriver (a whole disk),
 * its "BSD Name", and the driver's "Statistics" dictionary. Battery: the first power source of
 * IOPSCopyPowerSourcesList (IOKit/ps/IOPowerSources.h). Apple Silicon cpu_freq: the
 * voltage-states tables of the AppleARMIODevice named "pmgr". IOKit and CoreFoundation are loaded at run time (dlopen of
 * their framework binaries, dlsym of the C functions below, whose prototypes follow Apple's
 * IOKitLib.h and CoreFoundation headers): this toolchain ships neither framework's headers nor
 * stubs, and linking them would load both into every program using the library.
 */
#include <dlfcn.h>
#include <mach/mach.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "darwin.h"

typedef const void *cf_t;   /* CFTypeRef, CFStringRef, CFDictionaryRef, CFNumberRef */
typedef mach_port_t io_t;   /* io_object_t, io_iterator_t, io_registry_entry_t */

static struct {
    int ok;
    cf_t (*ServiceMatching)(const char *name);
    kern_return_t (*GetMatchingServices)(mach_port_t main_port, cf_t matching, io_t *existing);
    io_t (*IteratorNext)(io_t iterator);
    kern_return_t (*GetParentEntry)(io_t entry, const char *plane, io_t *parent);
    boolean_t (*ConformsTo)(io_t object, const char *class_name);
    kern_return_t (*CreateCFProperties)(io_t entry, cf_t *props, cf_t allocator, uint32_t options);
    kern_return_t (*ObjectRelease)(io_t object);
    cf_t (*DictionaryGetValue)(cf_t dict, cf_t key);
    cf_t (*StringCreateWithCString)(cf_t allocator, const char *s, uint32_t encoding);
    unsigned char (*StringGetCString)(cf_t s, char *buf, long size, uint32_t encoding);
    unsigned char (*NumberGetValue)(cf_t number, long type, void *value);
    void (*Release)(cf_t obj);
    unsigned long (*GetTypeID)(cf_t obj);
    unsigned long (*StringGetTypeID)(void), (*NumberGetTypeID)(void), (*DictionaryGetTypeID)(void);
    cf_t (*PSCopyInfo)(void);
    cf_t (*PSCopyList)(cf_t blob);
    cf_t (*PSGetDescription)(cf_t blob, cf_t source);
    long (*ArrayGetCount)(cf_t array);
    cf_t (*ArrayGetValueAtIndex)(cf_t array, long i);
    kern_return_t (*GetName)(io_t entry, char name[128]);   /* io_name_t */
    long (*DictionaryGetCount)(cf_t dict);
    void (*DictionaryGetKeysAndValues)(cf_t dict, cf_t *keys, cf_t *values);
    unsigned long (*DataGetTypeID)(void);
    long (*DataGetLength)(cf_t data);
    const unsigned char *(*DataGetBytePtr)(cf_t data);
} k;

/* kCFStringEncodingUTF8, kCFNumberSInt32Type, kCFNumberSInt64Type */
enum { CF_UTF8 = 0x08000100, CF_SINT32 = 3, CF_SINT64 = 4 };

static void *sym(void *lib, const char *name, int *ok)
{
    void *p = lib ? dlsym(lib, name) : NULL;
    if (!p) *ok = 0;
    return p;
}

#define SYM(lib, field, name) (*(void **)&k.field = sym(lib, name, &ok))
static void load(void)
{
    void *io = dlopen("/System/Library/Frameworks/IOKit.framework/IOKit", RTLD_LAZY | RTLD_LOCAL);
    void *cf = dlopen("/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation",
                      RTLD_LAZY | RTLD_LOCAL);
    int ok = io && cf;
    SYM(io, ServiceMatching, "IOServiceMatching");
    SYM(io, GetMatchingServices, "IOServiceGetMatchingServices");
    SYM(io, IteratorNext, "IOIteratorNext");
    SYM(io, GetParentEntry, "IORegistryEntryGetParentEntry");
    SYM(io, ConformsTo, "IOObjectConformsTo");
    SYM(io, CreateCFProperties, "IORegistryEntryCreateCFProperties");
    SYM(io, ObjectRelease, "IOObjectRelease");
    SYM(cf, DictionaryGetValue, "CFDictionaryGetValue");
    SYM(cf, StringCreateWithCString, "CFStringCreateWithCString");
    SYM(cf, StringGetCString, "CFStringGetCString");
    SYM(cf, NumberGetValue, "CFNumberGetValue");
    SYM(cf, Release, "CFRelease");
    SYM(cf, GetTypeID, "CFGetTypeID");
    SYM(cf, StringGetTypeID, "CFStringGetTypeID");
    SYM(cf, NumberGetTypeID, "CFNumberGetTypeID");
    SYM(cf, DictionaryGetTypeID, "CFDictionaryGetTypeID");
    SYM(io, PSCopyInfo, "IOPSCopyPowerSourcesInfo");
    SYM(io, PSCopyList, "IOPSCopyPowerSourcesList");
    SYM(io, PSGetDescription, "IOPSGetPowerSourceDescription");
    SYM(cf, ArrayGetCount, "CFArrayGetCount");
    SYM(cf, ArrayGetValueAtIndex, "CFArrayGetValueAtIndex");
    SYM(io, GetName, "IORegistryEntryGetName");
    SYM(cf, DictionaryGetCount, "CFDictionaryGetCount");
    SYM(cf, DictionaryGetKeysAndValues, "CFDictionaryGetKeysAndValues");
    SYM(cf, DataGetTypeID, "CFDataGetTypeID");
    SYM(cf, DataGetLength, "CFDataGetLength");
    SYM(cf, DataGetBytePtr, "CFDataGetBytePtr");
    k.ok = ok;   /* the libraries stay loaded for the process's life */
}

/* dict[key] if it is of type `type`, else NULL (psutil does not check; a wrong type would be
 * read as another object). */
static cf_t get(cf_t dict, const char *key, unsigned long type)
{
    cf_t s = k.StringCreateWithCString(NULL, key, CF_UTF8);
    if (!s) return NULL;
    cf_t v = k.DictionaryGetValue(dict, s);
    k.Release(s);
    return v && k.GetTypeID(v) == type ? v : NULL;
}

/* A statistics counter (psutil: 0 when absent). */
static uint64_t number(cf_t stats, const char *key)
{
    int64_t v = 0;
    cf_t n = get(stats, key, k.NumberGetTypeID());
    if (!n || !k.NumberGetValue(n, CF_SINT64, &v) || v < 0) return 0;
    return (uint64_t)v;
}

/* One IOMedia object: 1 with *d filled for a whole disk, 0 to skip it, or an error. */
static int one_media(io_t media, ps__bk_diskio *d)
{
    io_t parent = 0;
    if (k.GetParentEntry(media, "IOService", &parent) != KERN_SUCCESS)
        return ps__error(PS_EIO, 0, "IORegistryEntryGetParentEntry failed");
    int rc = 0;
    cf_t mprops = NULL, pprops = NULL;
    if (!k.ConformsTo(parent, "IOBlockStorageDriver")) goto out;   /* a partition */
    if (k.CreateCFProperties(media, &mprops, NULL, 0) != KERN_SUCCESS ||
        k.CreateCFProperties(parent, &pprops, NULL, 0) != KERN_SUCCESS) {
        rc = ps__error(PS_EIO, 0, "IORegistryEntryCreateCFProperties failed");
        goto out;
    }
    cf_t name = get(mprops, "BSD Name", k.StringGetTypeID());
    cf_t stats = get(pprops, "Statistics", k.DictionaryGetTypeID());
    char buf[64];
    if (!name || !stats || !k.StringGetCString(name, buf, (long)sizeof buf, CF_UTF8)) {
        /* psutil fails the whole call too */
        rc = ps__error(PS_EIO, 0, "IOKit: a disk without a BSD name or statistics");
        goto out;
    }
    memset(d, 0, sizeof *d);
    ps_diskio *c = &d->counters;
    c->read_count = number(stats, "Operations (Read)");
    c->write_count = number(stats, "Operations (Write)");
    c->read_bytes = number(stats, "Bytes (Read)");
    c->write_bytes = number(stats, "Bytes (Write)");
    c->read_time = number(stats, "Total Time (Read)") / 1000000;    /* ns -> ms */
    c->write_time = number(stats, "Total Time (Write)") / 1000000;
    c->read_merged_count = c->write_merged_count = c->busy_time = PS_UNKNOWN_U64;   /* Linux only */
    d->whole_disk = 1;
    rc = ps__darwin_nstr_copy(&d->name, buf, strnlen(buf, sizeof buf));
    if (rc == 0) rc = 1;
out:
    if (mprops) k.Release(mprops);
    if (pprops) k.Release(pprops);
    k.ObjectRelease(parent);
    return rc;
}

static int loaded(const char *what)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load);
    if (!k.ok) return ps__error(PS_ENOTSUP, 0, "%s: IOKit or CoreFoundation could not be loaded", what);
    return 0;
}

int ps__bk_diskio_read(ps__bk_diskio **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    int rc = loaded("disk_io_counters");
    if (rc) return rc;
    io_t it = 0;
    /* kIOMainPortDefault (kIOMasterPortDefault before macOS 12) is MACH_PORT_NULL; the call
     * consumes the matching dictionary */
    cf_t match = k.ServiceMatching("IOMedia");
    if (!match || k.GetMatchingServices(MACH_PORT_NULL, match, &it) != KERN_SUCCESS)
        return ps__error(PS_EIO, 0, "IOServiceGetMatchingServices(IOMedia) failed");
    ps__bk_diskio *v = NULL;
    size_t n = 0, cap = 0;
    io_t media;
    while (rc == 0 && (media = k.IteratorNext(it)) != 0) {
        if (n == cap) {
            ps__bk_diskio *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof *v);
            if (!nv) rc = ps__error(PS_ENOMEM, 0, "out of memory");
            else v = nv;
        }
        int r = rc ? rc : one_media(media, &v[n]);
        k.ObjectRelease(media);
        if (r > 0) n++;
        else rc = r;
    }
    k.ObjectRelease(it);
    if (rc) {
        for (size_t i = 0; i < n; i++) ps__nstr_dispose(&v[i].name);
        free(v);
        return rc;
    }
    *items = v;
    *count = n;
    return 0;
}

int ps__bk_battery(ps_battery *out)
{
    int rc = loaded("sensors_battery");
    if (rc) return rc;
    cf_t info = k.PSCopyInfo();
    if (!info) return ps__error(PS_EIO, 0, "IOPSCopyPowerSourcesInfo failed");
    cf_t list = k.PSCopyList(info);
    if (!list) {
        k.Release(info);
        return ps__error(PS_EIO, 0, "IOPSCopyPowerSourcesList failed");
    }
    rc = 0;
    memset(out, 0, sizeof *out);   /* no power source: present 0 (psutil None) */
    if (k.ArrayGetCount(list) > 0) {
        /* not owned: not released (IOPowerSources.h) */
        cf_t d = k.PSGetDescription(info, k.ArrayGetValueAtIndex(list, 0));
        cf_t cap = d ? get(d, "Current Capacity", k.NumberGetTypeID()) : NULL;
        cf_t state = d ? get(d, "Power Source State", k.StringGetTypeID()) : NULL;
        cf_t left = d ? get(d, "Time to Empty", k.NumberGetTypeID()) : NULL;
        int32_t capacity = 0, minutes = -1;
        char st[32] = "";
        if (!cap || !k.NumberGetValue(cap, CF_SINT32, &capacity)) {
            rc = ps__error(PS_EIO, 0, "sensors_battery: no \"Current Capacity\"");   /* psutil too */
        } else {
            if (state) (void)k.StringGetCString(state, st, (long)sizeof st, CF_UTF8);
            int has = left && k.NumberGetValue(left, CF_SINT32, &minutes);
            ps__darwin_battery(capacity, strcmp(st, "AC Power") == 0, has, minutes, out);
        }
    }
    k.Release(list);
    k.Release(info);
    return rc;
}

/* Every voltage-states<N>-sram table of the pmgr entry's properties into *f (PS_ENOMEM). */
static int pmgr_tables(cf_t props, ps__darwin_freq *f)
{
    long n = k.DictionaryGetCount(props);
    if (n <= 0) return 0;
    cf_t *keys = calloc((size_t)n * 2, sizeof *keys);
    if (!keys) return ps__error(PS_ENOMEM, 0, "out of memory");
    k.DictionaryGetKeysAndValues(props, keys, keys + n);
    for (long i = 0; i < n; i++) {
        char name[64];
        cf_t v = keys[n + i];
        if (!keys[i] || k.GetTypeID(keys[i]) != k.StringGetTypeID() || !v ||
            k.GetTypeID(v) != k.DataGetTypeID() ||
            !k.StringGetCString(keys[i], name, (long)sizeof name, CF_UTF8) ||
            !ps__darwin_voltage_states_key(name, strlen(name)))
            continue;
        long len = k.DataGetLength(v);
        const unsigned char *bytes = k.DataGetBytePtr(v);
        if (len > 0 && bytes) (void)ps__darwin_freq_table(f, bytes, (size_t)len);
    }
    free(keys);
    return 0;
}

int ps__darwin_pmgr_freq(ps__darwin_freq *f)
{
    memset(f, 0, sizeof *f);
    int rc = loaded("cpu_freq");
    if (rc) return rc;
    io_t it = 0, e;
    cf_t match = k.ServiceMatching("AppleARMIODevice");   /* consumed by the call */
    if (!match || k.GetMatchingServices(MACH_PORT_NULL, match, &it) != KERN_SUCCESS)
        return ps__error(PS_ENOTSUP, 0, "cpu_freq: no AppleARMIODevice (not Apple Silicon)");
    while (rc == 0 && !f->found && (e = k.IteratorNext(it)) != 0) {
        char name[128] = "";
        cf_t props = NULL;
        if (k.GetName(e, name) == KERN_SUCCESS && strcmp(name, "pmgr") == 0) {
            if (k.CreateCFProperties(e, &props, NULL, 0) != KERN_SUCCESS || !props)
                rc = ps__error(PS_EIO, 0, "cpu_freq: IORegistryEntryCreateCFProperties(pmgr) failed");
            else rc = pmgr_tables(props, f);
            if (props) k.Release(props);
        }
        k.ObjectRelease(e);
    }
    k.ObjectRelease(it);
    /* virtual machines have no pmgr (psutil: None) */
    if (rc == 0 && !f->found)
        rc = ps__error(PS_ENOTSUP, 0, "cpu_freq: no pmgr voltage-states table of a CPU cluster");
    return rc;
}
