/* of_modules.c - the table of built-in OpenFlow modules, looked up by the
 * name given to nfpd --of-module. */
#include "openflow/of_provider.h"

#include <string.h>

extern const struct of_module of_module_hub;
extern const struct of_module of_module_learning_switch;

const struct of_module *const of_modules[] = {
	&of_module_learning_switch,
	&of_module_hub,
	NULL,
};

const struct of_module *of_module_find(const char *name)
{
	for (int i = 0; of_modules[i]; i++)
		if (strcmp(of_modules[i]->name, name) == 0)
			return of_modules[i];
	return NULL;
}
