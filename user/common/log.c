/* log.c - see log.h. */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum nfp_log_level current_level = NFP_LOG_INFO;

void nfp_log_set_level(enum nfp_log_level level)
{
	current_level = level;
}

enum nfp_log_level nfp_log_get_level(void)
{
	return current_level;
}

void nfp_log(enum nfp_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	va_list ap;

	if (level > current_level)
		return;
	fprintf(stderr, "nfpd: %s: ", names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
