#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The verdict of scripts/abi-check.sh on abidiff's leaf-change report (docs/abi.md).

    abi-verdict.py REPORT     (the output of abidiff --leaf-changes-only --no-added-syms)

abidiff reports a new field that takes a slot of a struct's reserved tail as a change (a data
member insertion plus the reserved array's type and offset change), and libabigail's
suppression rules cannot tell it from a real insertion. So abidiff's exit status alone cannot
decide. This script accepts exactly the changes docs/abi.md calls compatible and fails on
everything else:
- allowed: in a struct whose size did not change, data members inserted at or after the old
  offset of `reserved`, with `reserved` shrinking by the bytes they take (its end unchanged);
- allowed: a struct whose size did not change and whose only change is a member of a struct
  type (or a typedef of one) that is itself such a reserved-tail growth (ps_ptable_record
  embeds ps_proc_io: abidiff reports the record too, "as reported earlier");
- everything else abidiff lists (a size change, a removed, moved or retyped member, a
  removed or changed function, a changed enumerator, ...) is a break.
Added functions are not in the report (--no-added-syms); abi-check.sh lists them apart.
Exit 0: compatible; 1: a break (the offending blocks are printed).
"""
import re
import sys


def blocks(text):
    """[(header line, [body lines])] of the report's "'<kind> <name> ...' changed:" blocks."""
    out, cur = [], None
    for line in text.splitlines():
        if re.match(r"^'.*' changed:$", line):
            cur = (line, [])
            out.append(cur)
        elif cur is not None and line.startswith(' '):
            cur[1].append(line)
        elif line.strip():
            cur = None
    return out


def judge_struct(body, embedded):
    """None if the block is a reserved-tail growth (or only embeds types that must be: their
    names are appended to embedded), else the reason it is not."""
    lines = [l.strip() for l in body]
    if 'type size hasn\'t changed' not in lines:
        return 'its size changed'
    inserted, i = [], 0
    res_old = res_new = None
    while i < len(lines):
        l = lines[i]
        if l == 'type size hasn\'t changed' or l == 'there are data member changes:':
            i += 1
            continue
        m = re.match(r"type '(?:typedef |struct )?(\w+)' of '[^']*' changed:$", l)
        if m and 'reserved' not in l:
            embedded.append(m.group(1))
            i += 1
            while i < len(lines) and re.match(r"(underlying type '(?:struct )?(\w+)' changed, as reported earlier|"
                                              r"details were reported earlier)$", lines[i]):
                mo = re.match(r"underlying type '(?:struct )?(\w+)'", lines[i])
                if mo:
                    embedded.append(mo.group(1))
                i += 1
            continue
        m = re.match(r'\d+ data member insertions?:$', l)
        if m:
            i += 1
            while i < len(lines) and lines[i].startswith("'"):
                mo = re.search(r', at offset (\d+) \(in bits\)', lines[i])
                if not mo:
                    return 'unreadable insertion: ' + lines[i]
                inserted.append(int(mo.group(1)))
                i += 1
            continue
        m = re.match(r"type 'uint64_t\[(\d+)\]' of '.*::reserved' changed:$", l)
        if m:
            i += 1
            while i < len(lines) and re.match(r'(type name changed|array type size changed|'
                                              r'array type subrange \d+ changed length)', lines[i]):
                i += 1
            if i < len(lines):
                mo = re.match(r'and offset changed from (\d+) to (\d+) \(in bits\)', lines[i])
                if mo:
                    res_old, res_new = int(mo.group(1)), int(mo.group(2))
                    i += 1
                    continue
            return 'reserved changed without moving'
        return 'not a reserved-slot change: ' + l
    if not inserted and res_old is None and embedded:
        return None
    if not inserted or res_old is None:
        return 'no field taken from the reserved tail'
    if min(inserted) < res_old or max(inserted) >= res_new:
        return 'a field inserted outside the old reserved tail'
    return None


def main():
    text = open(sys.argv[1], encoding='utf-8').read()
    bad = []
    m = re.search(r'functions summary: (\d+) Removed, (\d+) Changed', text)
    if m and (int(m.group(1)) or int(m.group(2))):
        bad.append('functions removed or changed (%s removed, %s changed)' % m.groups())
    m = re.search(r'variables summary: (\d+) Removed, (\d+) Changed', text)
    if m and (int(m.group(1)) or int(m.group(2))):
        bad.append('variables removed or changed (%s removed, %s changed)' % m.groups())
    if 'Removed function' in text or 'Removed variable' in text or 'symbols not referenced' in text:
        bad.append('symbols removed')
    grown, waiting = [], []
    for head, body in blocks(text):
        if head.startswith("'struct "):
            embedded = []
            why = judge_struct(body, embedded)
            name = re.match(r"^'(.*?)(?: at [^']*)?' changed:$", head).group(1)
            if why is None and embedded:
                waiting.append((head, body, name, embedded))
                continue
            if why is None:
                grown.append(name)
                continue
        else:
            why = 'a change to a non-struct type or a function'
        bad.append('%s\n  -> %s\n%s' % (head, why, '\n'.join(body)))
    ok = {g.split()[-1] for g in grown}
    for head, body, name, embedded in waiting:
        missing = [e for e in embedded if e not in ok]
        if missing:
            bad.append('%s\n  -> embeds %s, not a reserved-tail growth\n%s' % (head, ', '.join(missing), '\n'.join(body)))
        else:
            grown.append(name + ' (through ' + ', '.join(sorted(set(embedded))) + ')')
    for g in grown:
        print('abi-verdict: compatible: %s took room from its reserved tail' % g)
    if bad:
        print('abi-verdict: ABI BREAK:\n' + '\n'.join(bad))
        sys.exit(1)


if __name__ == '__main__':
    main()
