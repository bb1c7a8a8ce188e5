/* __has_include / __has_embed probes see no file outside the policy: only
 * the input itself (own_source_found) and none_found are exported. */
#if __has_include("/etc/passwd")
int passwd_found(void) { return 1; }
#endif
#if __has_include(<../../../../../../etc/passwd>)
int passwd_found_angle(void) { return 1; }
#endif
#if __has_include("has_include.c")
int own_source_found(void) { return 1; }
#endif
#if defined(__has_embed)
#if __has_embed("/etc/passwd")
int passwd_embed_found(void) { return 1; }
#endif
#endif
int none_found(void) { return 0; }
