// SPDX-License-Identifier: MIT

//! pslist: the process list (pid, name, exe) as JSON, through bindings that Debian's bindgen
//! generates from include/psinfo.h at build time (scripts/bindings-test.sh):
//!
//!   bindgen include/psinfo.h --allowlist-function 'ps_.*' --allowlist-type 'ps_.*' \
//!       --allowlist-var 'PS_.*' -o psinfo_bindings.rs -- -Iinclude
//!   rustc --edition 2021 -O pslist.rs --cfg 'bindings="<dir>/psinfo_bindings.rs"' ...
//!
//! No crates: std only, built with rustc directly.
#![allow(non_upper_case_globals, non_camel_case_types, non_snake_case, dead_code)]

mod ffi {
    include!(env!("PSINFO_BINDINGS"));
}

use std::ffi::CStr;
use std::fmt::Write as _;

/// A JSON string literal (RFC 8259 escapes; the library's strings are UTF-8, with surrogate
/// escapes written as their 3-byte forms, which Rust's str cannot hold: those bytes are
/// written as \uDCxx, as Python's json writes surrogateescape'd strings).
fn json_str(bytes: &[u8], out: &mut String) {
    out.push('"');
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0xED && i + 2 < bytes.len() && (0xB2..=0xB3).contains(&bytes[i + 1]) {
            // U+DC80..U+DCFF: ED B2 80..BF / ED B3 80..BF
            let cp = 0xD000u32 | ((bytes[i + 1] as u32 & 0x3F) << 6) | (bytes[i + 2] as u32 & 0x3F);
            let _ = write!(out, "\\u{:04x}", cp);
            i += 3;
            continue;
        }
        let len = match b {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let end = (i + len).min(bytes.len());
        match std::str::from_utf8(&bytes[i..end]) {
            Ok(s) => {
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\u{:04x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
            }
            Err(_) => out.push('\u{FFFD}'),
        }
        i = end;
    }
    out.push('"');
}

fn field(rec: &ffi::ps_ptable_record, f: u32, s: *const std::os::raw::c_char, out: &mut String) {
    if rec.present & (1u64 << f) == 0 || s.is_null() {
        out.push_str("null"); // absent: access denied or zombie (psutil's ad_value None)
    } else {
        json_str(unsafe { CStr::from_ptr(s) }.to_bytes(), out);
    }
}

fn main() {
    let fields: u64 = (1u64 << ffi::ps_ptable_field_PS_PT_PID)
        | (1u64 << ffi::ps_ptable_field_PS_PT_NAME)
        | (1u64 << ffi::ps_ptable_field_PS_PT_EXE);
    let mut table: *mut ffi::ps_ptable = std::ptr::null_mut();
    let rc = unsafe { ffi::ps_ptable_scan(fields, 0, &mut table) };
    if rc != 0 {
        let msg = unsafe { CStr::from_ptr(ffi::ps_strerror(rc)) };
        eprintln!("pslist: ps_ptable_scan: {}", msg.to_string_lossy());
        std::process::exit(1);
    }
    let t = unsafe { &*table };
    let records = unsafe { std::slice::from_raw_parts(t.records, t.count as usize) };
    let mut out = String::from("[");
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"pid\":{},\"name\":", r.pid);
        field(r, ffi::ps_ptable_field_PS_PT_NAME, r.name, &mut out);
        out.push_str(",\"exe\":");
        field(r, ffi::ps_ptable_field_PS_PT_EXE, r.exe, &mut out);
        out.push('}');
    }
    out.push(']');
    println!("{}", out);
    let version = unsafe { CStr::from_ptr(ffi::ps_version()) };
    eprintln!("pslist (Rust): libpsinfo {}, {} processes", version.to_string_lossy(), records.len());
    unsafe { ffi::ps_ptable_free(table) };
}
