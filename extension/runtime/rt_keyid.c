/*-------------------------------------------------------------------------
 *
 * rt_keyid.c
 *		The tenants' keys of this process: the host's choice of KeyID
 *		backend, and one key per (native-stack domain, KeyID, choice),
 *		counted by the instances whose views carry it (rt_keyid.h).
 *
 * Invariants:
 *	- A key is created with the first instance of its domain under a
 *	  choice and destroyed (its backend's key_destroy) when the last such
 *	  instance is destroyed, after that instance's view is unmapped
 *	  (rt_view.c releases the key last).  So a dropped tenant, whose
 *	  instances the host destroys, leaves no key behind, and a process
 *	  holds as many hardware keys as tenants with live instances.
 *	- Domains are never reused (rt_stack.c), so a budget that starts
 *	  serving another tenant (domain reset to 0) never inherits a key.
 *	- The chooser is asked before anything is allocated; a key is looked
 *	  up by everything that made it, so changing the choice never hands
 *	  an old key to a new view.
 *	- Not on the scalar call path: keys are acquired at instance creation
 *	  and by tmebox_host_alloc (rt_hostmem.c), which the language layer
 *	  calls during a call only for host copies of large arguments.
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "rt_keyid.h"

#define RT_KEY_BUCKETS 1024

static rt_key *rt_keys[RT_KEY_BUCKETS];
static tmebox_keyid_chooser rt_chooser;

void
tmebox_rt_set_keyid_chooser(tmebox_keyid_chooser chooser)
{
	rt_chooser = chooser;
}

static const rt_keyid_ops *
rt_keyid_ops_of(tmebox_keyid_backend backend)
{
	switch (backend)
	{
		case TMEBOX_KEYID_EMULATED:
			return &rt_keyid_emulated_ops;
		case TMEBOX_KEYID_TME_MK:
			return &rt_keyid_tmemk_ops;
	}
	return NULL;
}

static bool
rt_key_matches(const rt_key *k, uint64_t domain, uint32_t keyid,
			   const tmebox_keyid_config *cfg)
{
	if (k->domain != domain || k->keyid != keyid ||
		k->cfg.backend != cfg->backend)
		return false;
	return cfg->backend == TMEBOX_KEYID_EMULATED ||
		(k->cfg.sys_encrypt_mprotect == cfg->sys_encrypt_mprotect &&
		 k->cfg.algorithm == cfg->algorithm);
}

int
rt_key_acquire(uint64_t domain, uint32_t keyid, rt_key **out,
			   char *err, size_t errlen)
{
	tmebox_keyid_config cfg = {.backend = TMEBOX_KEYID_EMULATED};
	rt_key	  **bucket = &rt_keys[domain % RT_KEY_BUCKETS];
	rt_key	   *k;
	int			rc;

	*out = NULL;
	if (rt_chooser != NULL && rt_chooser(&cfg, err, errlen) != 0)
		return -1;
	if (rt_keyid_ops_of(cfg.backend) == NULL)
	{
		rt_errf(err, errlen, "unknown KeyID backend %d", (int) cfg.backend);
		return -1;
	}
	for (k = *bucket; k != NULL; k = k->next)
		if (rt_key_matches(k, domain, keyid, &cfg))
		{
			k->refs++;
			*out = k;
			return 0;
		}
	k = calloc(1, sizeof(*k));
	if (k == NULL)
	{
		rt_errf(err, errlen, "out of memory");
		return -1;
	}
	k->ops = rt_keyid_ops_of(cfg.backend);
	k->cfg = cfg;
	k->domain = domain;
	k->keyid = keyid;
	rc = k->ops->key_create(k, err, errlen);
	if (rc != 0)
	{
		free(k);
		return rc;
	}
	k->refs = 1;
	k->next = *bucket;
	*bucket = k;
	*out = k;
	return 0;
}

void
rt_key_release(rt_key *key)
{
	rt_key	  **p;

	if (key == NULL || --key->refs > 0)
		return;
	for (p = &rt_keys[key->domain % RT_KEY_BUCKETS]; *p != NULL; p = &(*p)->next)
		if (*p == key)
		{
			*p = key->next;
			break;
		}
	key->ops->key_destroy(key);
	free(key);
}

const char *
tmebox_instance_backend(const tmebox_instance *inst)
{
	return inst->key->ops->name;
}
