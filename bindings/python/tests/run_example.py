# SPDX-License-Identifier: MIT
"""Run one of psutil's example scripts with psutil or with psinfo in its place:

    run_example.py psutil|psinfo SCRIPT [ARGS...]

With psinfo, `import psutil` (and psutil._common / psutil._compat) resolve to psinfo, exactly
as `import psinfo as psutil` would. curses is replaced by a stub that prints each screen line
and answers 'q' at the second key poll, so top-like scripts draw one screen and exit.
"""
import runpy
import sys
import types


def curses_stub():
    m = types.ModuleType('curses')
    m.error = type('error', (Exception,), {})
    m.A_BOLD = m.A_STANDOUT = 0
    m.COLORS = 8
    m.A_REVERSE = m.A_NORMAL = m.A_UNDERLINE = m.A_DIM = 0
    keys = iter([-1])

    class Win:
        def addstr(self, y, x, line, flags=0):
            print(line.rstrip())

        def getch(self):
            return next(keys, ord('q'))

        def getmaxyx(self):
            return (1000, 120)

        def refresh(self):
            pass

        def erase(self):
            pass

        def nodelay(self, flag):
            pass

        def keypad(self, flag):
            pass

    for name in ('start_color', 'use_default_colors', 'endwin', 'echo', 'noecho', 'cbreak',
                 'nocbreak', 'curs_set'):
        setattr(m, name, lambda *a: None)
    m.init_pair = lambda *a: None
    m.color_pair = lambda n: 0
    m.initscr = lambda: Win()
    return m


which, script = sys.argv[1], sys.argv[2]
sys.argv = sys.argv[2:]
sys.modules['curses'] = curses_stub()
if which == 'psinfo':
    import psinfo
    import psinfo._common
    import psinfo._compat
    sys.modules['psutil'] = psinfo
    sys.modules['psutil._common'] = psinfo._common
    sys.modules['psutil._compat'] = psinfo._compat
runpy.run_path(script, run_name='__main__')
