// SPDX-License-Identifier: MIT

// pslist: the process list (pid, name, exe) as JSON, through cgo's bindings of the C header
// (include/psinfo.h, used unchanged). Standard library only.
//
// Build (scripts/bindings-test.sh does this):
//
//	CGO_CFLAGS="-I<repo>/include" CGO_LDFLAGS="<build>/src/libpsinfo.a -lutf8proc -lpthread" go build
package main

/*
#include <stdlib.h>
#include <psinfo.h>

// The fields' bits, computed in C from the header's enumerators.
static uint64_t pslist_fields(void)
{
    return ((uint64_t)1 << PS_PT_PID) | ((uint64_t)1 << PS_PT_NAME) | ((uint64_t)1 << PS_PT_EXE);
}
static ps_ptable_record *pslist_record(ps_ptable *t, size_t i) { return &t->records[i]; }
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"os"
)

type proc struct {
	Pid  int64   `json:"pid"`
	Name *string `json:"name"`
	Exe  *string `json:"exe"`
}

func field(rec *C.ps_ptable_record, f C.int, s *C.char) *string {
	if uint64(rec.present)&(uint64(1)<<uint(f)) == 0 {
		return nil // absent: access denied, zombie (psutil's ad_value None)
	}
	v := C.GoString(s)
	return &v
}

func main() {
	var table *C.ps_ptable
	if rc := C.ps_ptable_scan(C.pslist_fields(), 0, &table); rc != 0 {
		fmt.Fprintf(os.Stderr, "pslist: ps_ptable_scan: %s\n", C.GoString(C.ps_strerror(rc)))
		os.Exit(1)
	}
	defer C.ps_ptable_free(table)
	out := make([]proc, 0, int(table.count))
	for i := C.size_t(0); i < table.count; i++ {
		rec := C.pslist_record(table, i)
		out = append(out, proc{
			Pid:  int64(rec.pid),
			Name: field(rec, C.PS_PT_NAME, rec.name),
			Exe:  field(rec, C.PS_PT_EXE, rec.exe),
		})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "pslist:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "pslist (Go): libpsinfo %s, %d processes\n", C.GoString(C.ps_version()), len(out))
}
