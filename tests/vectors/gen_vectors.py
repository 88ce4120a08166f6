#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate decoder conformance vectors from CPython's own codecs.

The oracle for psinfo's one decoder (src/strings.c) is CPython:

  U8   bytes b  -> b.decode('utf-8', 'surrogateescape').encode('utf-8', 'surrogatepass')
                   b.decode('utf-8', 'replace').encode('utf-8')
  U16  UTF-16 units u (little-endian bytes, built with s.encode('utf-16-le', 'surrogatepass'))
               -> u.decode('utf-16-le', 'surrogatepass').encode('utf-8', 'surrogatepass')  (WTF-8)
                  u.decode('utf-16-le', 'replace').encode('utf-8')
  ENC  bytes t  -> t.decode('utf-8', 'surrogatepass').encode('utf-8', 'surrogateescape'),
                   or '!' when either step raises (psinfo must return PS_EINVAL)

Output: one vector per line, fields separated by one space, byte strings in lowercase hex,
'-' for an empty byte string:

  U8  <label> <input> <escape-output> <replace-output>
  U16 <label> <input-utf16le> <escape-output> <replace-output>
  ENC <label> <input> <output-or-!>

Lines starting with '#' are comments. The random part is deterministic for a given --seed.
Usage: gen_vectors.py --out FILE [--seed N] [--random N] [--random16 N] [--randomenc N]
"""

import argparse
import random
import sys


def h(b):
    return b.hex() if b else "-"


# ---------------------------------------------------------------------------------------------
# Oracles (CPython's codecs; nothing here re-implements UTF-8)

def u8_expect(b):
    esc = b.decode("utf-8", "surrogateescape").encode("utf-8", "surrogatepass")
    rep = b.decode("utf-8", "replace").encode("utf-8")
    return esc, rep


def u16_expect(units_le):
    esc = units_le.decode("utf-16-le", "surrogatepass").encode("utf-8", "surrogatepass")
    rep = units_le.decode("utf-16-le", "replace").encode("utf-8")
    return esc, rep


def enc_expect(t):
    try:
        return t.decode("utf-8", "surrogatepass").encode("utf-8", "surrogateescape")
    except UnicodeError:
        return None


# ---------------------------------------------------------------------------------------------
# Fixed classes

def cp8(cp):
    """UTF-8 (surrogates allowed) of one code point."""
    return chr(cp).encode("utf-8", "surrogatepass")


def fixed_u8():
    v = []
    add = lambda label, b: v.append((label, bytes(b)))

    add("empty", b"")
    add("ascii-all", bytes(range(0x80)))
    add("nul-embedded", b"a\x00b\x00")
    for x in range(256):
        add("single-%02x" % x, [x])
    # Every two-byte string: all lead/continuation combinations, including every overlong C0/C1
    # form, every truncated 3- and 4-byte lead and every lone continuation pair.
    for a in range(256):
        for b in range(256):
            add("pair", [a, b])
    # Three-byte strings with lead >= 0xC0 and boundary values for the next two bytes.
    edges = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF]
    for a in range(0xC0, 0x100):
        for b in edges:
            for c in edges:
                add("triple", [a, b, c])
    # Four-byte leads with boundary continuations (F0/F4 range limits, F5+ never valid).
    for a in range(0xF0, 0x100):
        for b in edges:
            for c in (0x80, 0xBF, 0x41):
                for d in (0x80, 0xBF, 0x41):
                    add("quad", [a, b, c, d])

    # Valid 1-4 byte forms at every boundary (Kuhn 2.1-2.3), noncharacters included.
    valid = [0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xCFFF, 0xD000, 0xD7FF, 0xE000,
             0xFDD0, 0xFDEF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1FFFF, 0x3FFFF, 0x40000,
             0xFFFFF, 0x100000, 0x10FFFE, 0x10FFFF, 0x1F600, 0x20AC, 0xE9]
    for cp in valid:
        add("valid-U+%04X" % cp, cp8(cp))
        add("valid-in-ascii-U+%04X" % cp, b"<" + cp8(cp) + b">")
        # Truncations of each multi-byte form, at the end and followed by ASCII / another start.
        e = cp8(cp)
        for k in range(1, len(e)):
            add("truncated-%d-of-U+%04X" % (k, cp), e[:k])
            add("truncated-%d-of-U+%04X-then-ascii" % (k, cp), e[:k] + b"x")
            add("truncated-%d-of-U+%04X-then-valid" % (k, cp), e[:k] + cp8(0x20AC))
    add("kuhn-greek-kosme", "κόσμε".encode())
    add("mixed-scripts", "Grüße, Привет, 日本語, 🎉".encode())

    # Overlongs (Kuhn 4.x): '/' and NUL in every longer form, and the maximum overlongs.
    for label, b in [
        ("overlong-2-slash", [0xC0, 0xAF]), ("overlong-3-slash", [0xE0, 0x80, 0xAF]),
        ("overlong-4-slash", [0xF0, 0x80, 0x80, 0xAF]),
        ("overlong-5-slash", [0xF8, 0x80, 0x80, 0x80, 0xAF]),
        ("overlong-6-slash", [0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF]),
        ("overlong-2-max", [0xC1, 0xBF]), ("overlong-3-max", [0xE0, 0x9F, 0xBF]),
        ("overlong-4-max", [0xF0, 0x8F, 0xBF, 0xBF]),
        ("overlong-5-max", [0xF8, 0x87, 0xBF, 0xBF, 0xBF]),
        ("overlong-6-max", [0xFC, 0x83, 0xBF, 0xBF, 0xBF, 0xBF]),
        ("overlong-2-nul", [0xC0, 0x80]), ("overlong-3-nul", [0xE0, 0x80, 0x80]),
        ("overlong-4-nul", [0xF0, 0x80, 0x80, 0x80]),
        ("overlong-5-nul", [0xF8, 0x80, 0x80, 0x80, 0x80]),
        ("overlong-6-nul", [0xFC, 0x80, 0x80, 0x80, 0x80, 0x80]),
    ]:
        add(label, b)

    # Encoded surrogates, single and paired (Kuhn 5.1, 5.2), including our own escape range.
    for cp in (0xD800, 0xDB7F, 0xDB80, 0xDBFF, 0xDC00, 0xDC7F, 0xDC80, 0xDCFF, 0xDD00, 0xDF80,
               0xDFFF):
        add("surrogate-U+%04X" % cp, cp8(cp))
        add("surrogate-U+%04X-in-ascii" % cp, b"a" + cp8(cp) + b"b")
    for hi in (0xD800, 0xDB7F, 0xDBFF):
        for lo in (0xDC00, 0xDFFF):
            add("surrogate-pair-%04X-%04X" % (hi, lo), cp8(hi) + cp8(lo))
    add("escape-bytes-raw", b"".join(cp8(0xDC00 + x) for x in range(0x80, 0x100)))

    # Beyond U+10FFFF and the old 5/6-byte forms (Kuhn 2.1.5, 2.1.6, 2.2.4-6).
    for b in ([0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF7, 0xBF, 0xBF, 0xBF],
              [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFB, 0xBF, 0xBF, 0xBF, 0xBF],
              [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], [0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF]):
        add("beyond-10FFFF-" + bytes(b).hex(), b)

    # Lone continuation bytes (Kuhn 3.1).
    add("all-continuations", bytes(range(0x80, 0xC0)))
    for n in range(1, 8):
        add("continuations-%d" % n, bytes([0x80, 0xBF] * 4)[:n])
    # Lonely start characters each followed by a space (Kuhn 3.2).
    add("lonely-2-starts", b"".join(bytes([x, 0x20]) for x in range(0xC0, 0xE0)))
    add("lonely-3-starts", b"".join(bytes([x, 0x20]) for x in range(0xE0, 0xF0)))
    add("lonely-4-starts", b"".join(bytes([x, 0x20]) for x in range(0xF0, 0xF8)))
    add("lonely-5-starts", b"".join(bytes([x, 0x20]) for x in range(0xF8, 0xFC)))
    add("lonely-6-starts", b"".join(bytes([x, 0x20]) for x in range(0xFC, 0xFE)))
    # Sequences with the last continuation byte missing (Kuhn 3.3) and all concatenated (3.4).
    last_missing = [[0xC0], [0xE0, 0x80], [0xF0, 0x80, 0x80], [0xF8, 0x80, 0x80, 0x80],
                    [0xFC, 0x80, 0x80, 0x80, 0x80], [0xDF], [0xEF, 0xBF], [0xF7, 0xBF, 0xBF],
                    [0xFB, 0xBF, 0xBF, 0xBF], [0xFD, 0xBF, 0xBF, 0xBF, 0xBF]]
    for b in last_missing:
        add("last-missing-" + bytes(b).hex(), b)
    add("last-missing-concatenated", b"".join(bytes(b) for b in last_missing))
    # Impossible bytes (Kuhn 3.5).
    add("impossible-fe", [0xFE])
    add("impossible-ff", [0xFF])
    add("impossible-fefeffff", [0xFE, 0xFE, 0xFF, 0xFF])
    # Maximal-subpart examples from Unicode 15 §3.9 table 3-8 and neighbours.
    add("unicode-table-3-8",
        [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64])
    add("unicode-table-3-9", [0xC0, 0xAF, 0xE0, 0x80, 0xBF, 0xF0, 0x81, 0x82, 0x41])
    add("unicode-table-3-10", [0xED, 0xA0, 0x80, 0xED, 0xBF, 0xBF, 0xED, 0xAF, 0x41])
    add("unicode-table-3-11", [0xF4, 0x91, 0x92, 0x93, 0xFF, 0x41, 0x80, 0xBF, 0x42])
    add("unicode-table-3-12", [0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41])
    # A long string mixing everything, to exercise buffer growth.
    add("long-mixed", (b"abc\xe2\x82\xac\xff\xc3\xa9\xed\xa0\x80\xf0\x9f\x98" * 300))
    return v


def fixed_u16():
    v = []
    add = lambda label, s: v.append((label, s.encode("utf-16-le", "surrogatepass")))
    add("empty", "")
    add("ascii", "hello")
    add("bmp", "é€日本\ufffd\ufffe\uffff")
    add("astral", "\U0001F600\U00010000\U0010FFFF")
    for cp in (0xD800, 0xDBFF, 0xDC00, 0xDC7F, 0xDC80, 0xDCFF, 0xDFFF):
        c = chr(cp)
        add("lone-%04X" % cp, c)
        add("lone-%04X-in-text" % cp, "a" + c + "b")
        add("lone-%04X-before-astral" % cp, c + "\U0001F600")
        add("lone-%04X-after-astral" % cp, "\U0001F600" + c)
    add("high-high-low", "\ud800\ud800\udc00")
    add("high-low-low", "\ud800\udc00\udc00")
    add("low-high", "\udc00\ud800")
    add("high-at-end", "abc\ud83d")
    add("low-at-start", "\ude00abc")
    add("nul", "a\x00b")
    return v


def fixed_enc():
    v = []
    add = lambda label, b: v.append((label, bytes(b)))
    for x in range(0x80, 0x100):
        add("escape-U+DC%02X" % x, cp8(0xDC00 + x))
    for x in range(0x00, 0x80):
        add("not-an-escape-U+DC%02X" % x, cp8(0xDC00 + x))
    for cp in (0xD800, 0xDB7F, 0xDBFF, 0xDD00, 0xDE00, 0xDFFF):
        add("other-surrogate-U+%04X" % cp, cp8(cp))
    add("escaped-pair", cp8(0xD83D) + cp8(0xDE00))
    add("escapes-rebuild-valid", cp8(0xDCC3) + cp8(0xDCA9))  # gives b'\xc3\xa9'
    add("escape-in-text", b"a" + cp8(0xDCFF) + "é".encode() + cp8(0xDC80) + b"z")
    add("empty", b"")
    add("nul", b"\x00")
    for x in range(0x80, 0x100):
        add("raw-byte-%02x" % x, [x])
    add("overlong", [0xC0, 0xAF])
    add("truncated", [0xE2, 0x82])
    add("beyond", [0xF4, 0x90, 0x80, 0x80])
    add("truncated-escape", [0xED, 0xB2])
    return v


# ---------------------------------------------------------------------------------------------
# Random inputs, biased toward high bytes and near-valid sequences

def rand_cp(r):
    k = r.random()
    if k < 0.25:
        return r.randrange(0x20, 0x80)
    if k < 0.5:
        return r.randrange(0x80, 0x800)
    if k < 0.8:
        cp = r.randrange(0x800, 0x10000)
        return cp if not 0xD800 <= cp <= 0xDFFF else 0xFFFD
    return r.randrange(0x10000, 0x110000)


INTERESTING = [0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF,
               0xF0, 0xF4, 0xF5, 0xFF, 0x00, 0x41]


def rand_bytes(r):
    k = r.random()
    if k < 0.15:  # uniform bytes
        return bytes(r.randrange(256) for _ in range(r.randrange(0, 25)))
    if k < 0.35:  # high bytes only
        return bytes(r.randrange(0x80, 0x100) for _ in range(r.randrange(1, 17)))
    if k < 0.45:  # boundary bytes
        return bytes(r.choice(INTERESTING) for _ in range(r.randrange(1, 13)))
    # near-valid: valid text, then a few mutations
    b = bytearray("".join(chr(rand_cp(r)) for _ in range(r.randrange(1, 8))).encode())
    for _ in range(r.randrange(1, 4)):
        m = r.randrange(7)
        pos = r.randrange(len(b) + 1)
        if m == 0 and b:      # truncate
            del b[r.randrange(len(b)):]
        elif m == 1 and b:    # delete one byte
            del b[min(pos, len(b) - 1)]
        elif m == 2 and b:    # overwrite with a high byte
            b[min(pos, len(b) - 1)] = r.randrange(0x80, 0x100)
        elif m == 3:          # insert a continuation byte
            b.insert(pos, r.randrange(0x80, 0xC0))
        elif m == 4:          # insert a lead byte
            b.insert(pos, r.randrange(0xC0, 0x100))
        elif m == 5:          # insert an encoded surrogate
            b[pos:pos] = cp8(r.randrange(0xD800, 0xE000))
        else:                 # insert an overlong or out-of-range form
            b[pos:pos] = r.choice([b"\xc0\x80", b"\xe0\x80\xaf", b"\xf4\x90\x80\x80",
                                   b"\xf8\x88\x80\x80\x80", b"\xc1\xbf"])
    return bytes(b)


def rand_u16(r):
    out = []
    for _ in range(r.randrange(0, 10)):
        k = r.random()
        if k < 0.35:
            out.append(chr(r.randrange(0xD800, 0xE000)))   # a surrogate (may pair by chance)
        elif k < 0.55:
            out.append(chr(r.randrange(0x10000, 0x110000)))
        elif k < 0.8:
            out.append(chr(r.randrange(0x80, 0xD800)))
        else:
            out.append(chr(r.randrange(0x20, 0x80)))
    return "".join(out).encode("utf-16-le", "surrogatepass")


def rand_enc(r):
    """Mostly well-formed surrogate-escaped text, sometimes with a foreign surrogate or raw byte."""
    b = rand_bytes(r)
    t = bytearray(b.decode("utf-8", "surrogateescape").encode("utf-8", "surrogatepass"))
    k = r.random()
    if k < 0.3:
        pos = r.randrange(len(t) + 1)
        t[pos:pos] = cp8(r.choice([r.randrange(0xD800, 0xDC80), r.randrange(0xDD00, 0xE000),
                                   r.randrange(0xDC80, 0xDD00)]))
    elif k < 0.45 and t:
        t[r.randrange(len(t))] = r.randrange(0x80, 0x100)
    elif k < 0.55:
        t = bytearray(b)  # raw bytes straight in
    return bytes(t)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--random", type=int, default=120000, help="random byte strings (U8)")
    ap.add_argument("--random16", type=int, default=20000, help="random UTF-16 strings")
    ap.add_argument("--randomenc", type=int, default=20000, help="random ps_fsencode inputs")
    a = ap.parse_args()
    r = random.Random(a.seed)
    counts = {"U8": 0, "U16": 0, "ENC": 0}
    with open(a.out, "w", encoding="ascii", newline="\n") as f:
        f.write("# psinfo decoder vectors, generated by CPython %s (seed %d)\n"
                % (sys.version.split()[0], a.seed))
        f.write("# random U8 %d, random U16 %d, random ENC %d\n"
                % (a.random, a.random16, a.randomenc))
        u8 = fixed_u8() + [("random", rand_bytes(r)) for _ in range(a.random)]
        for label, b in u8:
            esc, rep = u8_expect(b)
            f.write("U8 %s %s %s %s\n" % (label, h(b), h(esc), h(rep)))
            counts["U8"] += 1
        u16 = fixed_u16() + [("random", rand_u16(r)) for _ in range(a.random16)]
        for label, u in u16:
            esc, rep = u16_expect(u)
            f.write("U16 %s %s %s %s\n" % (label, h(u), h(esc), h(rep)))
            counts["U16"] += 1
        enc = fixed_enc() + [("random", rand_enc(r)) for _ in range(a.randomenc)]
        for label, t in enc:
            e = enc_expect(t)
            f.write("ENC %s %s %s\n" % (label, h(t), "!" if e is None else h(e)))
            counts["ENC"] += 1
        f.write("# end %d %d %d\n" % (counts["U8"], counts["U16"], counts["ENC"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
