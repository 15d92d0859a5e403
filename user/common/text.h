/* text.h - text that came from outside (a switch's port name, a client's
 * command name quoted in an error) made safe to put into JSON: jansson
 * refuses a string that is not UTF-8, and a refused string must not cost a
 * reply or an event. */
#ifndef NFP_COMMON_TEXT_H
#define NFP_COMMON_TEXT_H

/* Replace in place every byte of @s that is not part of a valid UTF-8
 * sequence (and every control character but tab) by '?'. Returns @s. */
char *nfp_text_sanitize(char *s);

#endif
