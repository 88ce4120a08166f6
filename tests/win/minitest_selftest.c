/* SPDX-License-Identifier: MIT */
/* The runner itself must be able to fail: one test passes, one fails a check. meson runs this
 * with should_fail, so the suite is green only if minitest reports the failure (exit 1). */
#include "minitest.h"

MT_TEST(passes)
{
    MT_CHECK_EQ_INT(2 + 2, 4);
    MT_CHECK_STR_EQ("abc", "abc");
}

MT_TEST(fails)
{
    MT_CHECK_EQ_INT(2 + 2, 5);
}

MT_MAIN()
