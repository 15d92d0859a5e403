/* log.h - leveled logging to stderr, the daemon's only log sink (systemd and
 * the tests read stderr). Messages carry no trailing newline.
 */
#ifndef NFP_LOG_H
#define NFP_LOG_H

enum nfp_log_level { NFP_LOG_ERROR, NFP_LOG_WARN, NFP_LOG_INFO, NFP_LOG_DEBUG };

void nfp_log_set_level(enum nfp_log_level level);
enum nfp_log_level nfp_log_get_level(void);
void nfp_log(enum nfp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_error(...) nfp_log(NFP_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  nfp_log(NFP_LOG_WARN, __VA_ARGS__)
#define log_info(...)  nfp_log(NFP_LOG_INFO, __VA_ARGS__)
#define log_debug(...) nfp_log(NFP_LOG_DEBUG, __VA_ARGS__)

#endif
