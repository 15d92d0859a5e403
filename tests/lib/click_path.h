/* click_path.h - where the real Click driver is, for the C tests that
 * check nfplane against it: $NFP_CLICK, else the workspace's shared copy
 * (../shared/tools/click-2.1/click from the checkout, or /work/shared/...
 * for a clone elsewhere), as tests/lib.sh's find_click. An absolute path,
 * or NULL: the test then skips, which run-all.sh fails under CI. */
#ifndef NFP_TEST_CLICK_PATH_H
#define NFP_TEST_CLICK_PATH_H

const char *test_click_path(void);

#endif
