/*-------------------------------------------------------------------------
 *
 * pl_guc.h
 *		Settings of the tmebox language (defined in pl_guc.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef PL_GUC_H
#define PL_GUC_H

extern char *tmebox_compiler_path;
extern char *tmebox_sandbox_dir;
extern int	tmebox_compile_timeout;
extern int	tmebox_compile_memory_limit;
extern char *tmebox_current_tenant;
extern int	tmebox_max_instances;

extern void tmebox_pl_define_gucs(void);

#endif							/* PL_GUC_H */
